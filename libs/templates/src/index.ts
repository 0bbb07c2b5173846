export {
  TemplateError, parseLetterTemplate, containsSection, renderNodes, subjectLine,
  type TemplatePlace, type TemplatePosition, type TemplateNode, type TemplateLanguage, type LetterTemplateParts, type RenderScope,
} from './letter-template.js';
