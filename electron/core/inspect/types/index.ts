/** Type inspection (issue #16.2): what the content inspector uses. See each module for the rules. */
export { detectType } from './detect-type.js';
export { officeMacros, type MacroScan } from './office-macros.js';
export { polyglotIn, polyglotOf, TailWindow, ZIP_TAIL_BYTES, PDF_HEADER_WINDOW } from './polyglot.js';
export { typeFindings, typeMatches, type TypeFindingsExtra } from './type-findings.js';
export { extensionOf } from './extension.js';
export { bufferSource } from './buffer-source.js';
