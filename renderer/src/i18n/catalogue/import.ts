/** The import flow after the verification report: destination, importing, result. */
import { area } from './define.js';

export const importMessages = area(
  {
    'import.startOver': 'Start over',
    'import.running.title': 'Importing',
    'import.running.happens':
      'Every file is verified again as it is copied into a private staging folder next to the destination; only when all of it checks out is it moved into place. Cancel, or any problem, removes the staging folder and leaves the destination as it was.',
    'import.running.bundle': 'Bundle verified: {path}',
    'import.running.noFolder': 'No folder: the bundle holds images only.',
    'import.running.destination': 'Destination: {path}',
    'import.running.registry': 'Images then go to the registry {registry}.',
    'import.destination.theName': 'the bundle name',
    'import.destination.quarantineTitle': 'Keep it in quarantine',
    'import.destination.quarantineHappens':
      'Choose the folder it was meant for. The import verifies the bundle again, content inspection refuses it again, and the station keeps the bundle with its report in its quarantine. Nothing is written to the folder.',
    'import.destination.refusedBy': 'Refused by content inspection: {codes}.',
    'import.destination.quarantineButton': 'Import and keep in quarantine',
    'import.destination.title': 'Choose where the files go',
    'import.destination.happens':
      'The files land in a new folder “{name}” inside the folder you choose. Airlock verifies everything again while copying into a private staging folder, and only then moves it into place in one step; it never overwrites or merges.',
    'import.destination.happensPush':
      'The files land in a new folder “{name}” inside the folder you choose. Airlock verifies everything again while copying into a private staging folder, and only then moves it into place in one step; it never overwrites or merges. Then the images are pushed to the registry; a push that stops can be run again and resumes where it stopped.',
    'import.destination.signedBy': 'Signed by {name} ({fingerprint}), a key this station trusts.',
    'import.destination.allMatch': 'All {files} files match the signed manifest.',
    'import.destination.policy': 'Station policy: {passed} of {total} checks passed.',
    'import.destination.policyFailed': 'Station policy: {passed} of {total} checks passed (see the report: the import applies the failed ones).',
    'import.destination.imagesOnly': 'This bundle holds images only: no folder is needed, they go straight to the registry.',
    'import.destination.importPush': 'Import and push',
    'import.destination.import': 'Import',
    'import.result.imported': 'Imported',
    'import.result.nothing': 'Nothing was imported',
    'import.result.happensOk': 'Nothing more. The import is recorded on this station.',
    'import.result.happensBad': 'The destination is unchanged. Follow the next step given for each problem.',
    'import.result.checkedAgain': 'The signature and every byte were checked again while copying.',
    'import.result.flushed': 'The files were flushed to disk before they were moved into place.',
    'import.result.filesTo': 'Files imported to',
    'import.result.receipt': 'Transfer receipt:',
    'import.result.quarantined': 'Kept in quarantine',
    'import.result.quarantinedText':
      'Content inspection refused this bundle, so the station keeps it in quarantine as <code>{id}</code>, with this report. Nothing of it reached the destination. Only an operator’s recorded decision can release it.',
    'import.result.openQuarantine': 'Open the quarantine',
    'import.result.push': 'Registry push',
    'import.result.notPushed': '{count, plural, one {One image was} other {# images were}} not pushed',
    'import.result.pushFailed':
      '{tally}. The other images were pushed regardless. Fix what the registry said for each failed image, then import the bundle again with the push: images already there are skipped.',
    'import.result.pushOk': "{tally}: the registry reported each image's signed digest.",
    'import.result.warnings': 'Warnings',
    'import.result.again': 'Import again anyway (recorded)',
    'import.result.another': 'Import another bundle',
    'import.result.receiptPdf': 'Receipt for the paper file (PDF):',
  },
  {
    'import.startOver': 'Von vorn beginnen',
    'import.running.title': 'Import läuft',
    'import.running.happens':
      'Jede Datei wird beim Kopieren in einen privaten Bereitstellungsordner neben dem Ziel erneut geprüft; erst wenn alles stimmt, wird sie an ihren Platz verschoben. Ein Abbruch oder jedes Problem entfernt den Bereitstellungsordner und lässt das Ziel unverändert.',
    'import.running.bundle': 'Paket geprüft: {path}',
    'import.running.noFolder': 'Kein Ordner: Das Paket enthält nur Images.',
    'import.running.destination': 'Ziel: {path}',
    'import.running.registry': 'Die Images gehen danach an die Registry {registry}.',
    'import.destination.theName': 'der Paketname',
    'import.destination.quarantineTitle': 'In Quarantäne behalten',
    'import.destination.quarantineHappens':
      'Wählen Sie den Ordner, für den es bestimmt war. Der Import prüft das Paket erneut, die Inhaltsprüfung weist es erneut ab, und die Station behält das Paket mit seinem Bericht in ihrer Quarantäne. In den Ordner wird nichts geschrieben.',
    'import.destination.refusedBy': 'Von der Inhaltsprüfung abgewiesen: {codes}.',
    'import.destination.quarantineButton': 'Importieren und in Quarantäne behalten',
    'import.destination.title': 'Ziel der Dateien wählen',
    'import.destination.happens':
      'Die Dateien kommen in einen neuen Ordner „{name}“ in dem von Ihnen gewählten Ordner. Airlock prüft beim Kopieren in einen privaten Bereitstellungsordner alles erneut und verschiebt es erst dann in einem Schritt an seinen Platz; es überschreibt oder vermischt nie.',
    'import.destination.happensPush':
      'Die Dateien kommen in einen neuen Ordner „{name}“ in dem von Ihnen gewählten Ordner. Airlock prüft beim Kopieren in einen privaten Bereitstellungsordner alles erneut und verschiebt es erst dann in einem Schritt an seinen Platz; es überschreibt oder vermischt nie. Danach werden die Images in die Registry übertragen; eine abgebrochene Übertragung kann erneut gestartet werden und setzt dort fort, wo sie aufhörte.',
    'import.destination.signedBy': 'Signiert von {name} ({fingerprint}), einem Schlüssel, dem diese Station vertraut.',
    'import.destination.allMatch': 'Alle {files} Dateien stimmen mit dem signierten Manifest überein.',
    'import.destination.policy': 'Richtlinie der Station: {passed} von {total} Prüfungen bestanden.',
    'import.destination.policyFailed':
      'Richtlinie der Station: {passed} von {total} Prüfungen bestanden (siehe Bericht: Der Import wendet die nicht bestandenen an).',
    'import.destination.imagesOnly': 'Dieses Paket enthält nur Images: Es ist kein Ordner nötig, sie gehen direkt in die Registry.',
    'import.destination.importPush': 'Importieren und übertragen',
    'import.destination.import': 'Importieren',
    'import.result.imported': 'Importiert',
    'import.result.nothing': 'Es wurde nichts importiert',
    'import.result.happensOk': 'Nichts weiter. Der Import ist auf dieser Station festgehalten.',
    'import.result.happensBad': 'Das Ziel ist unverändert. Folgen Sie dem für jedes Problem angegebenen nächsten Schritt.',
    'import.result.checkedAgain': 'Die Signatur und jedes Byte wurden beim Kopieren erneut geprüft.',
    'import.result.flushed': 'Die Dateien wurden auf der Festplatte gesichert, bevor sie an ihren Platz verschoben wurden.',
    'import.result.filesTo': 'Dateien importiert nach',
    'import.result.receipt': 'Übertragungsquittung:',
    'import.result.quarantined': 'In Quarantäne behalten',
    'import.result.quarantinedText':
      'Die Inhaltsprüfung hat dieses Paket abgewiesen; die Station behält es daher als <code>{id}</code> mit diesem Bericht in Quarantäne. Nichts davon hat das Ziel erreicht. Nur eine festgehaltene Entscheidung eines Bedieners kann es freigeben.',
    'import.result.openQuarantine': 'Quarantäne öffnen',
    'import.result.push': 'Übertragung in die Registry',
    'import.result.notPushed': '{count, plural, one {Ein Image wurde} other {# Images wurden}} nicht übertragen',
    'import.result.pushFailed':
      '{tally}. Die anderen Images wurden trotzdem übertragen. Beheben Sie, was die Registry zu jedem fehlgeschlagenen Image meldete, und importieren Sie das Paket dann erneut mit Übertragung: Bereits vorhandene Images werden übersprungen.',
    'import.result.pushOk': '{tally}: Die Registry hat für jedes Image den signierten Digest gemeldet.',
    'import.result.warnings': 'Warnungen',
    'import.result.again': 'Trotzdem erneut importieren (wird festgehalten)',
    'import.result.another': 'Weiteres Paket importieren',
    'import.result.receiptPdf': 'Quittung für die Akte (PDF):',
  },
);
