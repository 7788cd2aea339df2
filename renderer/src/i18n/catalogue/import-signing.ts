/** The import's signing (issue #19): the station key's passphrase on the destination step, and whether the receipt is signed. */
import { area } from './define.js';

export const importSigningMessages = area(
  {
    'import.sign.title': 'Sign the import receipt',
    'import.sign.key': 'Signing key of this station ({userIds}):',
    'import.sign.passphrase': 'Station key passphrase',
    'import.sign.why':
      'It signs the import receipt (JSON and PDF) and an audit checkpoint, so the paper file and the audit log can be checked later. Typed each time; Airlock never stores it.',
    'import.sign.unsigned': 'Import without signing: the receipt and the audit checkpoint stay unsigned',
    'import.sign.noKey': 'This station has no signing key: the import receipt and the audit checkpoint will be unsigned.',
    'import.result.receiptSigned': 'The receipt is signed: .json.asc and .pdf.asc beside it, the signed JSON inside the PDF.',
    'import.result.receiptUnsigned': 'The receipt is not signed: no key was unlocked for it.',
  },
  {
    'import.sign.title': 'Importquittung signieren',
    'import.sign.key': 'Signaturschlüssel dieser Station ({userIds}):',
    'import.sign.passphrase': 'Passphrase des Stationsschlüssels',
    'import.sign.why':
      'Sie signiert die Importquittung (JSON und PDF) und einen Kontrollpunkt im Prüfprotokoll, damit Akte und Prüfprotokoll später nachprüfbar sind. Wird jedes Mal eingegeben; Airlock speichert sie nie.',
    'import.sign.unsigned': 'Ohne Signatur importieren: Quittung und Kontrollpunkt bleiben unsigniert',
    'import.sign.noKey': 'Diese Station hat keinen Signaturschlüssel: Importquittung und Kontrollpunkt bleiben unsigniert.',
    'import.result.receiptSigned': 'Die Quittung ist signiert: .json.asc und .pdf.asc daneben, das signierte JSON im PDF.',
    'import.result.receiptUnsigned': 'Die Quittung ist nicht signiert: Dafür wurde kein Schlüssel entsperrt.',
  },
);
