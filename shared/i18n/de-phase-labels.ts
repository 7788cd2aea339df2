/** The progress phases (shared/phase-labels.ts) in German, for the app's progress view (issue #19). The CLI stays English. */
import type { PhaseLabel } from '../phase-labels.js';
import type { ProgressPhase } from '../progress.js';

export const DE_PHASE_LABELS: { readonly [P in ProgressPhase]: PhaseLabel } = {
  scanning: { short: 'Durchsuchen', title: 'Auswahl wird durchsucht', detail: 'Jede Datei wird aufgelistet und ihr Name geprüft.' },
  hashing: { short: 'Prüfsummen', title: 'Prüfsummen werden berechnet', detail: 'Jede Datei wird einmal gelesen, um ihre SHA-256-Prüfsumme festzuhalten.' },
  'hashing-and-writing': {
    short: 'Prüfsummen und Schreiben',
    title: 'Prüfsummen und Schreiben jeder Datei',
    detail: 'Jede Datei wird einmal gelesen, ihre SHA-256-Prüfsumme festgehalten und sie im selben Durchgang ins Paket geschrieben.',
  },
  signing: { short: 'Signieren', title: 'Signieren', detail: 'Das Manifest wird mit dem Stationsschlüssel signiert.' },
  writing: {
    short: 'Schreiben',
    title: 'Paket wird geschrieben',
    detail: 'Jede Datei wird erneut gelesen und geprüft, dass sie sich seit der Prüfsummenberechnung nicht geändert hat.',
  },
  'writing-tag-files': {
    short: 'Manifest schreiben',
    title: 'Signiertes Manifest wird geschrieben',
    detail: 'Manifest und Signatur werden vor die bereits geschriebenen Dateien geschrieben.',
  },
  syncing: {
    short: 'Auf Festplatte sichern',
    title: 'Daten werden auf die Festplatte geschrieben',
    detail: 'Es wird sichergestellt, dass jedes Byte auf der Festplatte ist, bevor das Paket seinen endgültigen Namen erhält.',
  },
  'verifying-signature': {
    short: 'Signatur prüfen',
    title: 'Signatur wird geprüft',
    detail: 'Es wird nachgewiesen, wer das Manifest signiert hat, bevor ihm irgendetwas geglaubt wird.',
  },
  'verifying-payload': { short: 'Prüfen', title: 'Jede Datei wird geprüft', detail: 'Jede Datei wird gehasht und mit dem signierten Manifest verglichen.' },
  'reading-back': {
    short: 'Zurücklesen',
    title: 'Zurücklesen vom Datenträger',
    detail: 'Jede auf den Datenträger geschriebene Datei wird am Seitencache vorbei erneut gelesen und mit dem Geschriebenen verglichen.',
  },
  'pulling-images': {
    short: 'Images abrufen',
    title: 'Images werden aus der Registry abgerufen',
    detail: 'Manifeste und Layer jedes Images werden aus der Registry der sendenden Seite geholt und jeweils gegen ihren Digest geprüft.',
  },
  'pushing-images': {
    short: 'Images übertragen',
    title: 'Images werden in die Registry übertragen',
    detail:
      'Jedes geprüfte Image wird an die interne Registry gesendet: erst die Layer, dann die Manifeste; der Digest der Registry wird mit dem signierten verglichen.',
  },
  'reading-manifest': {
    short: 'Manifest lesen',
    title: 'Das signierte Manifest wird gelesen',
    detail: 'Jede Zeile der signierten Dateiliste wird gelesen und jeder Name geprüft, bevor eine Datei gelesen wird.',
  },
  'recording-files': {
    short: 'Dateien protokollieren',
    title: 'Dateien werden im Prüfprotokoll erfasst',
    detail: 'Pfad, Größe und Prüfsumme jeder importierten Datei werden für das Prüfprotokoll geschrieben, bevor die Dateien ihren endgültigen Platz erhalten.',
  },
  'writing-receipts': {
    short: 'Fertig; Quittungen schreiben',
    title: 'Fertig, Quittungen werden geschrieben',
    detail:
      'Die Übertragung ist abgeschlossen und protokolliert (beim Export das Paket veröffentlicht, beim Import die Dateien an ihrem Platz). Ihre Quittungen (JSON, HTML, PDF) werden geschrieben und signiert; hier gibt es nichts mehr abzubrechen.',
  },
  settling: {
    short: 'Dateien am Platz; Import protokollieren',
    title: 'Dateien am Platz, der Import wird protokolliert',
    detail:
      'Die importierten Dateien haben ihren endgültigen Platz. Der Import wird protokolliert: sein Prüfprotokoll-Eintrag mit jeder Datei, zusammen mit dem Vermerk der Station über das Paket; hier gibt es nichts mehr abzubrechen.',
  },
  'verifying-audit-chain': {
    short: 'Hash-Kette prüfen',
    title: 'Die Hash-Kette des Prüfprotokolls wird geprüft',
    detail:
      'Jeder Eintrag des Prüfprotokolls wird gelesen, seine Verkettung mit dem vorigen geprüft und sein Hash neu berechnet. Es wird nur gelesen: ein Abbruch lässt das Protokoll unverändert.',
  },
};
