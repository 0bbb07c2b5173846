export {
  NOTICE_TYPES, NOTICE_PLACEHOLDERS, NoticeTemplateError, isNoticeType, parseNoticeTemplate, renderNotice,
} from './template.js';
export type { NoticeType, NoticeData, NoticeValue, NoticeTemplate, RenderedNotice } from './template.js';
export { NoticeTemplates, loadNoticeTemplates, normalLanguage, readTemplateDir } from './templates.js';
export { NOTICE_PAPERS, PAPER_SIZES, renderNoticesPdf } from './pdf.js';
export type { Letterhead, NoticePaper, NoticesPdfOptions, PrintableNotice } from './pdf.js';
export { NoticesService, NOTICE_CHANNELS, NOTICE_STATUSES, noticeKey, overdueNoticeDays, presentNotice } from './notices.service.js';
export type { DeliverReport, GenerateReport, NoticeChannel } from './notices.service.js';
export { NoticesJob, NOTICES_JOB } from './notices.job.js';
export { claimData, claimOrdinal as noticeClaimOrdinal, finesData, formatDate as noticeDate, formatMoney as noticeMoney, holdData, letterheadOf, overdueData, patronAddress, patronName } from './data.js';
export type { BranchFacts, ClaimLine, FeeLine, Formats as NoticeFormats, HoldLine, OverdueLine, PatronFacts } from './data.js';
export { NoticesController } from './notices.controller.js';
