export {
  NOTICE_TYPES, NOTICE_PLACEHOLDERS, NoticeTemplateError, isNoticeType, parseNoticeTemplate, renderNotice,
} from './template.js';
export type { NoticeType, NoticeData, NoticeValue, NoticeTemplate, RenderedNotice } from './template.js';
export { NoticeTemplates, loadNoticeTemplates, normalLanguage, readTemplateDir } from './templates.js';
export { NOTICE_PAPERS, PAPER_SIZES, renderNoticesPdf } from './pdf.js';
export type { Letterhead, NoticePaper, NoticesPdfOptions, PrintableNotice } from './pdf.js';
