import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  NOTICE_TYPES, NoticeTemplateError, loadNoticeTemplates, parseNoticeTemplate, renderNotice, renderNoticesPdf, type NoticeData,
} from '@carrel/print';
import { pdfPageSize, pdfPages } from './notices-support.js';

const BUILT_IN = path.join(process.cwd(), 'config', 'notices');

const overdueData = (items = 2): NoticeData => ({
  values: {
    'library.name': 'Centerville Public Library', 'library.institution': 'Centerville Libraries', 'library.address': '12 Main St\nCenterville, IL 60000',
    'library.phone': '555-0100', 'library.email': 'circ@cpl.example.org', date: 'November 29, 2026',
    'patron.name': 'Ada Lovelace', 'patron.firstname': 'Ada', 'patron.surname': 'Lovelace', 'patron.cardNumber': '21234000123', 'patron.address': '3 Elm Rd\nCenterville', 'patron.email': null,
    'fines.total': '$1.50',
  },
  items: Array.from({ length: items }, (_, i) => ({
    title: `Čapek: R.U.R. vol. ${i + 1}`, author: i === 0 ? 'Karel Čapek' : null, callNumber: `891.86 CAP ${i + 1}`, barcode: `3900000${i}`, dueDate: 'November 1, 2026',
    daysOverdue: '28', fine: i === 0 ? '$1.50' : null, replacementCost: '$25.00',
  })),
});

function tmpDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'carrel-notice-templates-'));
}

describe('notice templates: the language', () => {
  const t = (body: string, subject = 'Notice for {{patron.name}}') => parseNoticeTemplate('overdue1', `Subject: ${subject}\n\n${body}`, 'notice template overdue1 (test)');

  it('puts values, loops over the items, shows or hides sections, and drops lines that hold only a section tag', () => {
    const template = t('Dear {{patron.name}},\n{{#items}}\n- {{item.title}}{{#item.author}} / {{item.author}}{{/item.author}}{{^item.fine}} (no fine){{/item.fine}}\n{{/items}}\n{{#patron.email}}\nBy mail: {{patron.email}}\n{{/patron.email}}\n{{items.count}} item(s)\n');
    const r = renderNotice(template, overdueData());
    expect(r.subject).toBe('Notice for Ada Lovelace');
    expect(r.body).toBe('Dear Ada Lovelace,\n- Čapek: R.U.R. vol. 1 / Karel Čapek\n- Čapek: R.U.R. vol. 2 (no fine)\n2 item(s)\n');
  });

  it('keeps the text as it is: no HTML escaping, values with < and & printed as they are', () => {
    const data = overdueData(1);
    data.items[0].title = 'Tom & Jerry <the collected>';
    expect(renderNotice(t('{{#items}}{{item.title}}{{/items}}'), data).body).toBe('Tom & Jerry <the collected>\n');
  });

  it('names the template and the placeholder when the data lacks a value', () => {
    const data = overdueData(1);
    delete data.values['patron.cardNumber'];
    const template = t('{{#items}}{{item.title}}{{/items}}\nCard {{patron.cardNumber}}');
    expect(() => renderNotice(template, data)).toThrow('notice template overdue1 (test) line 4, column 6: {{patron.cardNumber}} has no value in this notice');
    const noBarcode = overdueData(1);
    delete noBarcode.items[0].barcode;
    expect(() => renderNotice(t('{{#items}}\n{{item.barcode}}\n{{/items}}'), noBarcode)).toThrow(/line 4, column 1: \{\{item\.barcode\}\} has no value/);
    expect(() => renderNotice(t('{{#items}}x{{/items}}'), { ...overdueData(), items: [] })).toThrow(/notice template overdue1 \(test\): a notice needs at least one item/);
  });

  it.each([
    ['an unknown name', 'Dear {{patron.nmae}}\n{{#items}}x{{/items}}', /line 3, column 6: unknown placeholder \{\{patron\.nmae\}\} for a overdue1 notice; known: library\.name/],
    ['an item value outside the loop', '{{item.title}}\n{{#items}}x{{/items}}', /line 3, column 1: \{\{item\.title\}\} is only known inside \{\{#items\}\}/],
    ['a hold name in an overdue notice', '{{#items}}{{item.pickupBy}}{{/items}}', /line 3, column 11: unknown placeholder \{\{item\.pickupBy\}\}/],
    ['an unclosed placeholder', 'Dear {{patron.name\n{{#items}}x{{/items}}', /line 3, column 6: a placeholder opened with \{\{ is not closed/],
    ['a bad name', 'Dear {{patron name}}\n{{#items}}x{{/items}}', /line 3, column 6: \{\{patron name\}\} is not a placeholder name/],
    ['an unclosed section', '{{#items}}\nx\n', /line 3, column 1: \{\{#items\}\} is never closed/],
    ['a crossed section', '{{#items}}{{#item.author}}x{{/items}}{{/item.author}}', /line 3, column 28: \{\{\/items\}\} found where \{\{\/item\.author\}\} \(opened at line 3\) was expected/],
    ['a stray close', '{{#items}}x{{/items}}{{/patron.name}}', /line 3, column 22: \{\{\/patron\.name\}\} closes a section that was never opened/],
    ['a nested loop', '{{#items}}{{#items}}x{{/items}}{{/items}}', /line 3, column 11: \{\{#items\}\} inside \{\{#items\}\}/],
    ['items as a value', '{{items}}{{#items}}x{{/items}}', /line 3, column 1: \{\{items\}\} is a list/],
    ['no item loop', 'Dear {{patron.name}}', /notice template overdue1 \(test\): the notice never lists its items/],
    ['HTML', '<p>Dear {{patron.name}}</p>\n{{#items}}x{{/items}}', /line 3, column 1: "<p>" looks like HTML: notices are plain text/],
    ['an HTML entity', 'Caf&eacute;\n{{#items}}x{{/items}}', /line 3, column 4: "&eacute;" looks like HTML/],
  ])('refuses %s with the template, line and column', (_what, body, message) => {
    let err: unknown;
    try {
      t(body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NoticeTemplateError);
    expect((err as Error).message).toMatch(/^notice template overdue1 \(test\)/);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a bad subject line and layout', () => {
    expect(() => parseNoticeTemplate('fines', 'Dear patron\n\n{{#items}}x{{/items}}', 'fines.txt')).toThrow('fines.txt line 1: must be the subject, "Subject: …", got "Dear patron"');
    expect(() => parseNoticeTemplate('fines', 'Subject:  \n\n{{#items}}x{{/items}}', 'fines.txt')).toThrow('fines.txt line 1: the subject is empty');
    expect(() => parseNoticeTemplate('fines', 'Subject: x\nbody\n{{#items}}x{{/items}}', 'fines.txt')).toThrow('fines.txt line 2: must be blank');
    expect(() => parseNoticeTemplate('fines', 'Subject: x\n\n  \n', 'fines.txt')).toThrow('fines.txt line 3: the notice has no body');
    expect(() => parseNoticeTemplate('fines', 'Subject: You owe {{fines.totl}}\n\n{{#items}}x{{/items}}', 'fines.txt')).toThrow(/fines\.txt line 1, column 18: unknown placeholder \{\{fines\.totl\}\}/);
    expect(() => parseNoticeTemplate('overdue4' as never, 'Subject: x\n\n{{#items}}x{{/items}}', 'o4.txt')).toThrow(/o4\.txt: "overdue4" is not a notice type/);
  });
});

describe('notice templates: the built-in files', () => {
  const templates = loadNoticeTemplates(BUILT_IN, null, 'en');

  it('exist for every notice type in English and French', () => {
    expect(templates.languages()).toEqual(['en', 'fr']);
    for (const type of NOTICE_TYPES) {
      expect(templates.resolve(type, 'en').language).toBe('en');
      expect(templates.resolve(type, 'fr').language).toBe('fr');
    }
  });

  it('choose the patron’s language, its primary language, else the default one', () => {
    expect(templates.resolve('overdue2', 'fr-CA').language).toBe('fr');
    expect(templates.resolve('overdue2', 'FR').language).toBe('fr');
    expect(templates.resolve('overdue2', 'de').language).toBe('en');
    expect(templates.resolve('overdue2', null).language).toBe('en');
    expect(loadNoticeTemplates(BUILT_IN, null, 'fr').resolve('overdue2', '').language).toBe('fr');
  });

  it('render an overdue notice in English and in French with every item', () => {
    const en = renderNotice(templates.resolve('overdue3', 'en').template, overdueData());
    expect(en.subject).toBe('Final notice: 2 overdue item(s) – Centerville Public Library');
    expect(en.body).toContain('Dear Ada Lovelace,');
    expect(en.body).toContain('3 Elm Rd\nCenterville\nCard number: 21234000123');
    expect(en.body).toContain('- Čapek: R.U.R. vol. 1 / Karel Čapek\n  Call number: 891.86 CAP 1   Barcode: 39000000\n  Due: November 1, 2026 (28 days overdue)   Fine so far: $1.50\n  Replacement cost: $25.00');
    expect(en.body).toContain('- Čapek: R.U.R. vol. 2\n');
    expect(en.body).toContain('You owe the library $1.50 in all.');
    const fr = renderNotice(templates.resolve('overdue3', 'fr').template, overdueData());
    expect(fr.subject).toBe('Dernier rappel : 2 document(s) en retard – Centerville Public Library');
    expect(fr.body).toContain('Cote : 891.86 CAP 1   Code-barres : 39000000');
    expect(fr.body).toContain('Prix de remplacement : $25.00');
    expect(fr.body).not.toMatch(/\{\{|\}\}/);
  });

  it('are overridden file by file from print.noticeTemplatesDir, and a bad override is refused with its path', () => {
    const dir = tmpDir();
    try {
      mkdirSync(path.join(dir, 'fr'));
      mkdirSync(path.join(dir, 'nb'));
      writeFileSync(path.join(dir, 'fr', 'fines.txt'), 'Subject: Rappel {{fines.total}}\n\n{{#items}}{{item.amount}}\n{{/items}}');
      writeFileSync(path.join(dir, 'nb', 'hold_available.txt'), 'Subject: Hentes\n\nHei {{patron.firstname}}\n{{#items}}{{item.title}}\n{{/items}}');
      const t = loadNoticeTemplates(BUILT_IN, dir, 'en');
      expect(t.languages()).toEqual(['en', 'fr', 'nb']);
      expect(t.resolve('fines', 'fr').template.source).toBe(`notice template fines (fr) ${path.join(dir, 'fr', 'fines.txt')}`);
      expect(t.resolve('overdue1', 'fr').template.source).toMatch(/config\/notices\/fr\/overdue1\.txt$/);
      // a language with only some types: the others fall back to the default language
      expect(t.resolve('hold_available', 'nb').language).toBe('nb');
      expect(t.resolve('overdue1', 'nb').language).toBe('en');

      writeFileSync(path.join(dir, 'fr', 'overdue2.txt'), 'Subject: Rappel\n\nBonjour {{patron.nom}}\n{{#items}}x{{/items}}');
      expect(() => loadNoticeTemplates(BUILT_IN, dir, 'en')).toThrow(`notice template overdue2 (fr) ${path.join(dir, 'fr', 'overdue2.txt')} line 3, column 9: unknown placeholder {{patron.nom}}`);
      rmSync(path.join(dir, 'fr', 'overdue2.txt'));
      writeFileSync(path.join(dir, 'fr', 'overdue.txt'), 'Subject: x\n\n{{#items}}x{{/items}}');
      expect(() => loadNoticeTemplates(BUILT_IN, dir, 'en')).toThrow(/notice template .*fr\/overdue\.txt: is not a notice template name: expected one of overdue1\.txt/);
      rmSync(path.join(dir, 'fr', 'overdue.txt'));
      mkdirSync(path.join(dir, 'French'));
      expect(() => loadNoticeTemplates(BUILT_IN, dir, 'en')).toThrow(/"French" is not a language tag/);
      rmSync(path.join(dir, 'French'), { recursive: true });
      expect(() => loadNoticeTemplates(BUILT_IN, path.join(dir, 'nope'), 'en')).toThrow(/notice templates folder .*nope: does not exist/);
      expect(() => loadNoticeTemplates(BUILT_IN, dir, 'nb')).toThrow(/notice templates of the default language "nb" \(print\.defaultLanguage\): missing for overdue1, overdue2, overdue3, fines, serial_claim/);
      expect(() => loadNoticeTemplates(BUILT_IN, dir, 'english!')).toThrow(/print\.defaultLanguage: "english!" is not a language tag/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('notice PDFs', () => {
  const templates = loadNoticeTemplates(BUILT_IN, null, 'en');
  const letterhead = { name: 'Centerville Public Library', institution: 'Centerville Libraries', address: '12 Main St\nCenterville, IL 60000', phone: '555-0100', email: 'circ@cpl.example.org' };

  it('put one notice per page under the branch letterhead, on A4 or Letter, with the same bytes for the same notices', async () => {
    const notices = ['Ada Lovelace', 'Émile Zola', 'Фёдор Достоевский'].map((name, i) => {
      const data = overdueData(i + 1);
      data.values['patron.name'] = name;
      return renderNotice(templates.resolve('overdue1', i === 1 ? 'fr' : 'en').template, data);
    });
    const pdf = await renderNoticesPdf(notices, { letterhead, paper: 'A4' });
    const pages = pdfPages(pdf);
    expect(pages).toHaveLength(3);
    pages.forEach((page, i) => {
      expect(page).toContain('Centerville Public Library');
      expect(page).toContain('12 Main St');
      expect(page).toContain('Tel. 555-0100');
      expect(page).toContain(notices[i].subject);
    });
    expect(pages[0]).toContain('Dear Ada Lovelace,');
    expect(pages[1]).toContain('Émile Zola');
    expect(pages[1]).toContain('Code-barres : 39000001');
    expect(pages[2]).toContain('Фёдор Достоевский');
    expect(pages[2]).toContain('Čapek: R.U.R. vol. 3');
    expect(pdfPageSize(pdf)).toMatch(/^595\.2\d* x 841\.8\d* pts \(A4\)$/);
    expect((await renderNoticesPdf(notices, { letterhead, paper: 'A4' })).equals(pdf)).toBe(true);
    expect(pdfPageSize(await renderNoticesPdf(notices, { letterhead, paper: 'Letter' }))).toMatch(/^612 x 792 pts \(letter\)$/);
  });

  it('runs a notice longer than a page on to the next page instead of cutting it, and the next notice starts a new page', async () => {
    const long = renderNotice(templates.resolve('overdue1', 'en').template, overdueData(40));
    const short = renderNotice(templates.resolve('overdue1', 'en').template, overdueData(1));
    const pages = pdfPages(await renderNoticesPdf([long, short], { letterhead }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.slice(0, -1).join('\n');
    for (let i = 1; i <= 40; i++) {
      expect(all).toMatch(new RegExp(`R\\.U\\.R\\. vol\\. ${i}( /|\\n)`));
      expect(all).toContain(`Call number: 891.86 CAP ${i} `);
    }
    expect(pages[pages.length - 1]).toContain(short.subject);
    expect(pages[pages.length - 1]).toContain('Centerville Public Library');
  });

  it('wraps a line longer than the page at spaces, hanging under its dash, and cuts a word wider than the line instead of losing it', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    const url = `https://catalogue.example.org/${'x'.repeat(150)}/end`;
    const [page] = pdfPages(await renderNoticesPdf([{ subject: 'Wrapping', body: `- ${words.join(' ')}\n${url}\n` }], { letterhead }));
    const lines = page.split('\n').filter((l) => /word\d/.test(l));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => /^\s+word\d/.test(l))).toBe(true);
    expect(lines.join(' ').split(/\s+/).filter(Boolean)).toEqual(['-', ...words]);
    expect(page.replace(/\s+/g, '')).toContain(url);
    expect(page.split('\n').filter((l) => l.includes('xxxx')).length).toBeGreaterThan(1);
  });

  it('prints decomposed accents composed, and scripts that need shaping through pdfkit’s own text', async () => {
    const notice = { subject: 'Cafe\u0301 — שלום', body: 'Cafe\u0301 Mu\u0308ller\nשלום עולם\nمرحبا\nΕλληνικά Русский\n' };
    const [page] = pdfPages(await renderNoticesPdf([notice], { letterhead }));
    expect(page).toContain('Café Müller');
    expect(page).toContain('Ελληνικά Русский');
    expect(page).toMatch(/שלום/);
    expect(page).toMatch(/עולם/);
    expect(page).toMatch(/مرحبا|ﺎﺒﺣﺮﻣ/);
  });

  it('refuses an empty batch and a notice without text', async () => {
    await expect(renderNoticesPdf([])).rejects.toThrow('a notices PDF needs at least one notice');
    await expect(renderNoticesPdf([{ subject: 'x', body: 'y' }, { subject: 'x' } as never])).rejects.toThrow('notice 2 of 2 has no subject or body text');
    await expect(renderNoticesPdf([{ subject: 'x', body: 'y' }], { paper: 'A5' as never })).rejects.toThrow('notice paper "A5" is not one of A4, Letter');
  });
});
