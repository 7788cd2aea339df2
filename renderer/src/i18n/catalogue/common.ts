/** Words many views share: the next-step label, dismiss, the error alert. */
import { area } from './define.js';

export const commonMessages = area(
  {
    'common.next': 'Next:',
    'common.dismiss': 'Dismiss',
    'common.concerning': 'Concerning:',
    'common.error.title': 'This did not work',
    'common.error.cancelled': 'Cancelled',
    'common.problems': 'Problems found',
    'common.togglePassword': 'Show or hide the passphrase',
  },
  {
    'common.next': 'Nächster Schritt:',
    'common.dismiss': 'Schließen',
    'common.concerning': 'Betrifft:',
    'common.error.title': 'Das hat nicht funktioniert',
    'common.error.cancelled': 'Abgebrochen',
    'common.problems': 'Gefundene Probleme',
    'common.togglePassword': 'Passphrase zeigen oder verbergen',
  },
);
