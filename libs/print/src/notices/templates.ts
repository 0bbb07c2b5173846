import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { NOTICE_TYPES, NoticeTemplateError, isNoticeType, parseNoticeTemplate, type NoticeTemplate, type NoticeType } from './template.js';

/**
 * The notice templates on disk: `<dir>/<language>/<type>.txt` (config/notices/en/overdue1.txt …). The
 * built-in folder comes first; the folder of `print.noticeTemplatesDir`, in the same layout, overrides it
 * file by file (a library may change only its French overdue letter). Everything is read and checked at
 * once, at start: a bad template or a stray file stops the hub with its path and place.
 */

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** BCP 47 tags as Carrel compares them: 'fr-ca' and 'fr-CA' are the same language. */
export function normalLanguage(tag: string): string {
  const parts = tag.trim().replace(/_/g, '-').split('-');
  return parts.map((p, i) => (i === 0 ? p.toLowerCase() : p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0].toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase())).join('-');
}

export class NoticeTemplates {
  /** language → type → template */
  private readonly byLanguage = new Map<string, Map<NoticeType, NoticeTemplate>>();

  constructor(templates: { language: string; template: NoticeTemplate }[], readonly defaultLanguage: string) {
    for (const { language, template } of templates) {
      const lang = normalLanguage(language);
      let m = this.byLanguage.get(lang);
      if (!m) this.byLanguage.set(lang, (m = new Map()));
      m.set(template.type, template);
    }
    const missing = NOTICE_TYPES.filter((t) => !this.byLanguage.get(normalLanguage(defaultLanguage))?.has(t));
    if (missing.length) {
      throw new NoticeTemplateError(`notice templates of the default language ${JSON.stringify(defaultLanguage)} (print.defaultLanguage)`, `missing for ${missing.join(', ')}; languages with templates: ${this.languages().join(', ') || 'none'}`);
    }
  }

  languages(): string[] {
    return [...this.byLanguage.keys()].sort();
  }

  /**
   * The template for a patron's language: the language itself, then its primary part (fr-CA → fr), then
   * the default language. `language` in the answer is the one the notice is really written in.
   */
  resolve(type: NoticeType, wanted: string | null | undefined): { language: string; template: NoticeTemplate } {
    const candidates: string[] = [];
    if (wanted && wanted.trim()) {
      const w = normalLanguage(wanted);
      candidates.push(w);
      const primary = w.split('-')[0];
      if (primary !== w) candidates.push(primary);
    }
    candidates.push(normalLanguage(this.defaultLanguage));
    for (const language of candidates) {
      const template = this.byLanguage.get(language)?.get(type);
      if (template) return { language, template };
    }
    // unreachable: the constructor checked the default language has every type
    throw new NoticeTemplateError(`notice template ${type}`, `none for ${candidates.join(', ')}`);
  }
}

/** Reads one templates folder: `{ language, template }` for every `<language>/<type>.txt` in it. */
export function readTemplateDir(dir: string, label = dir): { language: string; template: NoticeTemplate }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NoticeTemplateError(`notice templates folder ${label}`, 'does not exist or is not a folder');
  const out: { language: string; template: NoticeTemplate }[] = [];
  for (const language of readdirSync(dir).sort()) {
    const langDir = path.join(dir, language);
    if (language.startsWith('.') || !statSync(langDir).isDirectory()) continue;
    if (!LANGUAGE.test(language.toLowerCase())) {
      throw new NoticeTemplateError(`notice templates folder ${path.join(label, language)}`, `${JSON.stringify(language)} is not a language tag (en, fr, fr-CA …)`);
    }
    for (const file of readdirSync(langDir).sort()) {
      if (file.startsWith('.')) continue;
      const where = path.join(label, language, file);
      const m = /^(.+)\.txt$/.exec(file);
      if (!m || !isNoticeType(m[1])) {
        throw new NoticeTemplateError(`notice template ${where}`, `is not a notice template name: expected one of ${NOTICE_TYPES.map((t) => `${t}.txt`).join(', ')}`);
      }
      const text = readFileSync(path.join(langDir, file), 'utf8');
      out.push({ language, template: parseNoticeTemplate(m[1], text, `notice template ${m[1]} (${language}) ${where}`) });
    }
  }
  return out;
}

/** The built-in templates, then the override folder's (same language and type: the override wins). */
export function loadNoticeTemplates(builtInDir: string, overrideDir: string | null, defaultLanguage: string): NoticeTemplates {
  const lang = normalLanguage(defaultLanguage || 'en');
  if (!LANGUAGE.test(lang.toLowerCase())) throw new NoticeTemplateError('print.defaultLanguage', `${JSON.stringify(defaultLanguage)} is not a language tag (en, fr, fr-CA …)`);
  const builtIn = readTemplateDir(builtInDir, path.relative(process.cwd(), builtInDir) || builtInDir);
  const overrides = overrideDir ? readTemplateDir(overrideDir) : [];
  return new NoticeTemplates([...builtIn, ...overrides], lang);
}
