/** An image-reference or registry issue (shared/image-input.ts) in the app's language, its values as the engine gives them. */
import type { ImageInputIssue } from '../../../shared/image-input.js';
import type { Translate } from './useT.js';

/** The registry target's form and example, the same in every language. */
export const REGISTRY_FORM = 'HOST[:PORT][/PREFIX]';
export const REGISTRY_EXAMPLE = 'registry.internal:5000/mirror';

export function imageInputMessage(t: Translate, issue: ImageInputIssue): string {
  switch (issue.kind) {
    case 'reference-empty':
      return t('imageInput.reference-empty');
    case 'reference-spaces':
      return t('imageInput.reference-spaces');
    case 'reference-too-long':
      return t('imageInput.reference-too-long', { max: issue.max });
    case 'reference-invisible':
      return t('imageInput.reference-invisible');
    case 'reference-transport':
      return t('imageInput.reference-transport', { prefixes: issue.prefixes, example: issue.example });
    case 'reference-after-transport':
      return t('imageInput.reference-after-transport', { prefix: issue.prefix, form: issue.form });
    case 'reference-docker-parts':
      return t('imageInput.reference-docker-parts', { form: issue.form });
    case 'registry-empty':
      return t('imageInput.registry-empty', { example: REGISTRY_EXAMPLE });
    case 'registry-scheme':
      return t('imageInput.registry-scheme', { scheme: 'https://', form: REGISTRY_FORM });
    case 'registry-shape':
      return t('imageInput.registry-shape', { form: REGISTRY_FORM });
  }
}
