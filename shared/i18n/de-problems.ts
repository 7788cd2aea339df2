/**
 * The problem codes' messages and next steps in German, for the app (issue #19). shared/problems.ts
 * stays the one source of the English text (which core and the CLI use); this map is keyed by the
 * same codes, so a new code does not compile until it has its German here
 * (test/unit/shared/i18n/de-texts.test.ts). The code itself is never translated.
 */
import type { ProblemCode } from '../problems.js';

export const DE_PROBLEM_TEXT: { readonly [C in ProblemCode]: { message: string; action: string } } = {
  SIGNATURE_MISSING: {
    message: 'Das Paket trägt keine Signatur über sein Tag-Manifest.',
    action: 'Importieren Sie es nicht. Bitten Sie den Absender, mit einem Signaturschlüssel erneut zu exportieren.',
  },
  SIGNATURE_INVALID: {
    message: 'Eine Signatur passt nicht zum Tag-Manifest: Das Paket wurde nach dem Signieren verändert, oder die Signatur ist fehlerhaft.',
    action: 'Importieren Sie es nicht. Melden Sie den Datenträger Ihrem IT-Sicherheitsbeauftragten und bitten Sie um einen neuen Export.',
  },
  SIGNER_UNTRUSTED: {
    message: 'Keine Signatur stammt von einem Schlüssel, dem diese Station vertraut.',
    action: 'Klären Sie den Unterzeichner auf einem zweiten Weg mit dem Absender; vertrauen Sie seinem Schlüssel erst nach dem Vergleich des Fingerabdrucks.',
  },
  SIGNER_EXPIRED: {
    message: 'Der Signaturschlüssel ist abgelaufen; diese Station nimmt keine Signatur von ihm an, gleich welches Datum die Signatur angibt.',
    action: 'Bitten Sie den Absender, mit einem gültigen Schlüssel zu signieren.',
  },
  SIGNER_REVOKED: {
    message: 'Der Signaturschlüssel wurde widerrufen; diese Station nimmt keine Signatur von ihm an.',
    action: 'Importieren Sie es nicht. Informieren Sie Ihren IT-Sicherheitsbeauftragten: Ein widerrufener Schlüssel wurde verwendet.',
  },
  SIGNER_SHA1_BINDING: {
    message:
      'Der Schlüssel eines vertrauenswürdigen Unterzeichners bindet seinen Signaturschlüssel mit SHA-1-Signaturen (seine Selbstsignatur oder die Bindung des signierenden Unterschlüssels), das durch Kollisionen mit gewähltem Präfix gebrochen ist: Eine gefälschte Bindung sähe genauso aus, daher zählt die Signatur nicht.',
    action:
      'Importieren Sie es nicht. Bitten Sie den Inhaber des Schlüssels, ihn mit SHA-256 neu zu signieren (die Meldung nennt die GnuPG-Befehle), vertrauen Sie dem neuen öffentlichen Schlüssel und bitten Sie um einen neuen Export.',
  },
  SIGNER_V6_KEY: {
    message:
      'Der Schlüssel eines vertrauenswürdigen Unterzeichners ist ein OpenPGP-v6-Schlüssel: GnuPG 2.2 und 2.4 können seine Signatur nicht prüfen, und Airlock-Pakete müssen mit GnuPG prüfbar sein, daher zählt die Signatur nicht.',
    action:
      'Bitten Sie den Absender, mit einem v4-Schlüssel zu signieren, dem diese Station vertraut (erzeugt mit GnuPG 2.2 oder 2.4, oder ein Airlock-Stationsschlüssel).',
  },
  MANIFEST_INVALID: {
    message: 'Eine Tag-Datei oder ein Manifest ist fehlerhaft oder verletzt das Paketformat.',
    action: 'Importieren Sie es nicht. Bitten Sie den Absender, mit einem aktuellen Airlock oder einem BagIt-1.0-Werkzeug erneut zu exportieren.',
  },
  CHECKSUM_MISMATCH: {
    message: 'Der Inhalt einer Datei stimmt nicht mit der Prüfsumme überein, die beim Signieren festgehalten wurde.',
    action: 'Importieren Sie es nicht. Der Datenträger kann beschädigt oder manipuliert sein: Kopieren Sie ihn erneut oder bitten Sie um einen neuen Export.',
  },
  FILE_MISSING: {
    message: 'Eine im Manifest aufgeführte Datei fehlt im Paket.',
    action: 'Importieren Sie es nicht. Das Paket ist unvollständig: Bitten Sie um einen neuen Export.',
  },
  FILE_UNLISTED: {
    message: 'Das Paket enthält eine Datei, die kein signiertes Manifest aufführt.',
    action: 'Importieren Sie es nicht. Nach dem Signieren wurde etwas hinzugefügt.',
  },
  UNSAFE_PATH: {
    message: 'Der Pfad eines Eintrags ist unsicher: absolut, aus dem Paket hinausführend oder mit Zeichen, die die Station ablehnt.',
    action: 'Importieren Sie es nicht. Melden Sie das Paket: Es könnte ein Versuch sein, außerhalb des Ziels zu schreiben.',
  },
  UNSAFE_ENTRY_TYPE: {
    message: 'Das Archiv enthält einen Eintrag, der keine gewöhnliche Datei und kein Ordner ist (Verknüpfung, Gerät, FIFO oder Sparse-Datei).',
    action: 'Importieren Sie es nicht. Airlock-Pakete enthalten nur gewöhnliche Dateien.',
  },
  DUPLICATE_ENTRY: {
    message: 'Zwei Einträge haben denselben Namen (genau, oder nach Unicode-Normalisierung oder ohne Groß-/Kleinschreibung).',
    action: 'Importieren Sie es nicht. Eine Datei könnte unbemerkt eine andere ersetzen.',
  },
  LIMIT_EXCEEDED: {
    message: 'Das Paket überschreitet einen Grenzwert der Station (Einträge, Größe, Pfadtiefe oder -länge).',
    action: 'Bitten Sie den Absender, die Übertragung aufzuteilen, oder lassen Sie die Richtlinie der Station vom IT-Sicherheitsbeauftragten prüfen.',
  },
  ARCHIVE_CORRUPT: {
    message: 'Das Archiv ist abgeschnitten oder keine gültige tar-Datei.',
    action: 'Kopieren Sie das Paket erneut vom Datenträger; besteht der Fehler weiter, bitten Sie um einen neuen Export.',
  },
  PAYLOAD_OXUM_MISMATCH: {
    message: 'Dateianzahl oder Bytesumme der Nutzlast weichen vom Payload-Oxum in bag-info.txt ab.',
    action: 'Importieren Sie es nicht. Das Paket ist unvollständig oder wurde verändert.',
  },
  POLICY_DENIED: {
    message: 'Die Richtlinie der Station lässt dieses Paket nicht zu.',
    action: 'Fragen Sie Ihren IT-Sicherheitsbeauftragten, ob die Richtlinie es zulassen sollte.',
  },
  REPLAY: {
    message: 'Dieses Paket wurde auf dieser Station bereits importiert.',
    action: 'Sehen Sie im Prüfprotokoll nach; importieren Sie es nur bewusst erneut, mit der ausdrücklichen Ausnahme.',
  },
  PART_MISSING: {
    message: 'Ein Teil eines geteilten Pakets liegt nicht dort, wo sein signierter Datenträgerindex ihn angibt.',
    action: 'Legen Sie den Datenträger ein, der ihn enthält (der Index nennt ihn), oder legen Sie alle Teile in einen Ordner; versuchen Sie es dann erneut.',
  },
  PART_MISMATCH: {
    message:
      'Ein Teil eines geteilten Pakets weicht von Größe oder SHA-256 in seinem signierten Datenträgerindex ab: Er ist beschädigt, veraltet oder ausgetauscht.',
    action: 'Importieren Sie es nicht. Kopieren Sie diesen Teil erneut von den Datenträgern der sendenden Station, oder bitten Sie um einen neuen Export.',
  },
  PART_EXTRA: {
    message: 'Eine als Teil dieses geteilten Pakets benannte Datei steht nicht in seinem signierten Datenträgerindex.',
    action:
      'Importieren Sie es nicht. Entfernen Sie liegengebliebene Teildateien eines früheren Exports, oder fragen Sie den Absender, welche Teile zu diesem Paket gehören.',
  },
  INDEX_INVALID: {
    message:
      'Der Datenträgerindex eines geteilten Pakets fehlt, ist fehlerhaft, nicht von einem vertrauenswürdigen Schlüssel signiert oder widerspricht dem Paket.',
    action: 'Importieren Sie es nicht. Index und .asc gehören zu den Teilen: Bitten Sie den Absender um einen neuen Export.',
  },
  OCI_BLOB_MISSING: {
    message:
      'Ein Image im Paket verweist auf einen Blob (Layer, Konfiguration oder Manifest), den das Paket nicht enthält und der nicht als in der empfangenden Registry vorhanden angegeben wurde.',
    action:
      'Importieren Sie es nicht. Bitten Sie den Absender, das Image erneut zu exportieren; wurde es gegen eine Quittung exportiert, prüfen Sie, ob diese Quittung von dieser Station stammt.',
  },
  OCI_DIGEST_MISMATCH: {
    message: 'Ein Image-Blob hat nicht die Größe oder den Digest, den sein Deskriptor nennt.',
    action: 'Importieren Sie es nicht. Das Image wurde verändert oder auf der sendenden Seite falsch erstellt: Bitten Sie um einen neuen Export.',
  },
  OCI_GRAPH_INVALID: {
    message:
      'Das Image-Layout im Paket ist fehlerhaft: ein unbekannter Medientyp, eine Schleife, ein Blob, auf den nichts verweist, oder eine Deskriptordatei, die index.json widerspricht.',
    action: 'Importieren Sie es nicht. Bitten Sie den Absender, das Image mit Airlock erneut zu exportieren; melden Sie das Paket, wenn es von Airlock stammt.',
  },
  TYPE_DENIED: {
    message: 'Der Typ einer Datei, wie ihr Inhalt ihn zeigt, oder ihre Endung wird von der Prüfrichtlinie dieser Station abgelehnt.',
    action:
      'Importieren Sie es nicht. Bitten Sie den Absender, die Datei wegzulassen, oder fragen Sie Ihren IT-Sicherheitsbeauftragten, ob die Richtlinie den Typ zulassen sollte.',
  },
  TYPE_MISMATCH: {
    message: 'Die Endung einer Datei passt nicht zu ihrem Inhalt: Sie gibt sich als ein Typ aus und ist ein anderer.',
    action:
      'Importieren Sie es nicht. Getarnte Dateien sind ein üblicher Weg, ausführbare Programme einzuschleusen: Melden Sie das Paket Ihrem IT-Sicherheitsbeauftragten.',
  },
  MACRO_FOUND: {
    message: 'Ein Office-Dokument enthält Makros (ein VBA-Projekt), die die Prüfrichtlinie dieser Station ablehnt.',
    action: 'Bitten Sie den Absender um das Dokument ohne Makros (als .docx/.xlsx/.pptx oder PDF), oder fragen Sie Ihren IT-Sicherheitsbeauftragten.',
  },
  ARCHIVE_LIMIT: {
    message:
      'Ein Archiv im Paket überschreitet einen Prüfgrenzwert (Verschachtelungstiefe, Anzahl der Einträge, entpackte Größe oder Packrate); was dahinter liegt, wurde nicht geprüft und wird daher nicht übernommen.',
    action:
      'Bitten Sie den Absender, den Inhalt entpackt oder aufgeteilt zu senden, oder fragen Sie Ihren IT-Sicherheitsbeauftragten, ob die Grenzwerte erhöht werden sollen.',
  },
  ARCHIVE_ENCRYPTED: {
    message: 'Ein Archiv im Paket ist verschlüsselt (kennwortgeschützt), daher kann sein Inhalt nicht geprüft werden.',
    action: 'Bitten Sie den Absender um den Inhalt unverschlüsselt; die Signatur schützt ihn bereits bei der Übertragung.',
  },
  ARCHIVE_UNREADABLE: {
    message: 'Ein Archiv im Paket ist beschädigt oder von einer Art, die die Station nicht sicher öffnen kann, daher kann sein Inhalt nicht geprüft werden.',
    action: 'Bitten Sie den Absender, den Inhalt entpackt oder als zip oder tar zu senden, oder fragen Sie Ihren IT-Sicherheitsbeauftragten.',
  },
  MALWARE_FOUND: {
    message: 'Der Virenscanner hat in einer Datei eine Bedrohung gefunden.',
    action: 'Importieren Sie es nicht. Das Paket liegt in Quarantäne: Informieren Sie Ihren IT-Sicherheitsbeauftragten, der über das Weitere entscheidet.',
  },
  SCAN_FAILED: {
    message:
      'Der Virenscanner konnte für eine Datei kein sauberes Ergebnis liefern (zu groß, ein Prüfgrenzwert, ein Fehler oder eine Zeitüberschreitung); eine nicht als sauber erwiesene Datei wird nicht übernommen.',
    action: 'Bitten Sie Ihren IT-Sicherheitsbeauftragten, Grenzwerte und Protokoll des Scanners zu prüfen; importieren Sie dann erneut.',
  },
  SCANNER_UNAVAILABLE: {
    message: 'Der Virenscanner, den die Richtlinie der Station nennt, hat nicht geantwortet; daher konnte nichts geprüft werden.',
    action:
      'Starten Sie den Scanner (oder lassen Sie ihn von Ihrem Administrator starten) und prüfen Sie seine Adresse in der Richtlinie; versuchen Sie es dann erneut.',
  },
  SCAN_DB_STALE: {
    message: 'Die Signaturdatenbank des Virenscanners ist älter, als die Richtlinie der Station erlaubt.',
    action: 'Bringen Sie eine aktuelle Signaturdatenbank herüber (ein Feed-Paket) und importieren Sie dann erneut.',
  },
  CHANNEL_GAP: {
    message: 'Die Kanal-Sequenznummer des Pakets springt vor: Ein oder mehrere zuvor auf diesem Kanal gesendete Pakete sind nicht angekommen.',
    action: 'Fragen Sie die sendende Seite, welche Pakete die fehlenden Sequenznummern tragen (ihr Prüfprotokoll nennt sie), und lassen Sie sie erneut senden.',
  },
  CHANNEL_DUPLICATE: {
    message: 'Ein Paket mit dieser Kanal-Sequenznummer wurde von diesem Unterzeichner auf diesem Kanal bereits empfangen.',
    action:
      'Suchen Sie das frühere Paket im Prüfprotokoll; unterscheiden sich die beiden, melden Sie es Ihrem IT-Sicherheitsbeauftragten: Ein Absender hat eine Nummer wiederverwendet.',
  },
  CHANNEL_REORDERED: {
    message:
      'Die Kanal-Sequenznummer des Pakets ist niedriger als eine bereits empfangene: Es kam in falscher Reihenfolge an, oder es ist ein erneut gesendetes altes Paket.',
    action: 'Schließt es eine gemeldete Lücke, ist nichts weiter zu tun; sonst suchen Sie im Prüfprotokoll nach einem wiedereingespielten Paket.',
  },
  CHANNEL_BACKLINK_BROKEN: {
    message:
      'Das Paket nennt als Vorgänger auf seinem Kanal (über die SHA-256 seines Tag-Manifests) ein anderes Paket als das, das diese Station mit der vorherigen Sequenznummer empfangen hat.',
    action:
      'Melden Sie es Ihrem IT-Sicherheitsbeauftragten: Die Geschichte des Kanals unterscheidet sich zwischen beiden Seiten (ein ausgetauschtes oder gefälschtes Paket).',
  },
  CHANNEL_STAMP_INVALID: {
    message: 'Die Kanalfelder des Pakets in bag-info.txt sind fehlerhaft oder unvollständig (Kanalname, Sequenznummer oder Hash des vorherigen Pakets).',
    action: 'Importieren Sie es nicht. Bitten Sie den Absender, mit einem aktuellen Airlock erneut zu exportieren.',
  },
  CHANNEL_FIRST_CONTACT: {
    message:
      'Dies ist das erste Paket, das diese Station von diesem Unterzeichner auf diesem Kanal empfängt, und seine Sequenznummer ist größer als 1: Die Nummern davor wurden gesendet, bevor diese Station hinzukam, und gelten nicht als fehlend.',
    action: 'Sollte diese Station den Kanal von Anfang an empfangen haben, bitten Sie die sendende Seite um die früheren Pakete; sonst ist nichts zu tun.',
  },
};
