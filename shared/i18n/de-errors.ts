/**
 * The error codes' messages (shared/errors.ts) and next steps (shared/error-actions.ts) in German,
 * for the app (issue #19). English stays in those two files, the one source core and the CLI use;
 * this map is typed over ErrorCode, so a new code does not compile until it has its German too.
 * Like the English actions, no CLI command or flag here.
 */
import type { ErrorCode } from '../errors.js';

export const DE_ERROR_TEXT: { readonly [C in ErrorCode]: { message: string; action: string } } = {
  USAGE: {
    message: 'Der Befehl wurde nicht richtig verwendet.',
    action: 'Prüfen Sie Ihre Eingabe und versuchen Sie es erneut. Kam sie von der App, melden Sie es: Die Anfrage entsprach nicht dem, was Airlock erwartet.',
  },
  INVALID_NAME: {
    message: 'Der Paketname darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten (1-100 Zeichen) und nicht mit einem Punkt beginnen.',
    action: 'Wählen Sie einen Namen nur aus Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich, oder lassen Sie ihn für den Standardnamen leer.',
  },
  PASSPHRASE_REQUIRED: {
    message: 'Eine Passphrase wird benötigt, aber keine wurde angegeben.',
    action: 'Geben Sie die Passphrase des Stationsschlüssels ein.',
  },
  NOT_FOUND: {
    message: 'Eine Datei oder ein Ordner, die Airlock angegeben wurden, existiert nicht.',
    action: 'Prüfen Sie, ob die Datei oder der Ordner noch existiert und Wechseldatenträger noch eingesteckt sind, und wählen Sie sie erneut.',
  },
  NOT_A_FOLDER: {
    message: 'Ein Pfad, der ein Ordner sein muss, ist eine Datei (oder etwas anderes als ein Ordner).',
    action: 'Geben Sie dort einen Ordner an (legen Sie ihn bei Bedarf an); eine gleichnamige Datei steht im Weg.',
  },
  PERMISSION_DENIED: {
    message: 'Zugriff verweigert: Dieser Benutzer darf eine Datei oder einen Ordner, die Airlock braucht, nicht lesen oder schreiben.',
    action:
      'Prüfen Sie Eigentümer und Rechte des genannten Pfads (ls -ld PFAD): Starten Sie Airlock als Benutzer, der ihn verwenden darf, oder bitten Sie Ihren Administrator um Zugriff.',
  },
  IO_ERROR: {
    message: 'Das Lesen oder Schreiben einer Datei ist fehlgeschlagen.',
    action: 'Prüfen Sie Datenträger oder Festplatte (Schreibschutz, Rechte, ein lockeres Kabel) und versuchen Sie es erneut.',
  },
  NOT_A_FILE: {
    message:
      'Ein Pfad, den Airlock lesen soll, ist keine gewöhnliche Datei, sondern ein FIFO (benannte Pipe), ein Socket oder ein Gerät; aus solchen liest Airlock nicht.',
    action:
      'Geben Sie eine gewöhnliche Datei an (ls -l PFAD zeigt p für ein FIFO, s für einen Socket, b oder c für ein Gerät). Um ein Paket zu streamen, leiten Sie seine Bytes in die Standardeingabe, statt einen Pfad anzugeben.',
  },
  PATH_TOO_LONG: {
    message: 'Ein Pfad ist für das Dateisystem zu lang.',
    action: 'Wählen Sie einen Ziel- oder Quellordner mit kürzerem Pfad (oder kürzen Sie tief verschachtelte Ordnernamen); versuchen Sie es dann erneut.',
  },
  NO_SPACE: {
    message: 'Am Ziel ist nicht genug Speicherplatz frei.',
    action: 'Schaffen Sie am Ziel Platz oder wählen Sie ein anderes Ziel; versuchen Sie es dann erneut.',
  },
  OUTPUT_EXISTS: {
    message: 'Am Ziel liegt bereits eine Datei dieses Namens; Airlock überschreibt nie.',
    action: 'Wählen Sie ein anderes Ziel oder einen anderen Paketnamen, oder verschieben Sie die vorhandene Datei selbst.',
  },
  SOURCE_UNSUPPORTED_TYPE: {
    message: 'Die Auswahl enthält etwas, das keine gewöhnliche Datei und kein Ordner ist (eine symbolische Verknüpfung, ein Gerät, ein Socket oder ein FIFO).',
    action: 'Entfernen Sie Verknüpfungen, Geräte und andere Sonderdateien aus der Auswahl; Pakete enthalten nur gewöhnliche Dateien.',
  },
  SOURCE_NAME_CONFLICT: {
    message: 'Zwei ausgewählte Dateien hätten im Paket denselben Namen (genau, oder nach Unicode-Normalisierung oder ohne Groß-/Kleinschreibung).',
    action: 'Benennen Sie eine der beiden Dateien um, oder senden Sie sie in getrennten Paketen.',
  },
  SOURCE_NAME_UNSAFE: {
    message: 'Eine ausgewählte Datei hat einen Namen, den das Paketformat nicht sicher tragen kann.',
    action: 'Benennen Sie die Datei so um, dass ihr Name keine Steuerzeichen enthält und gültiger Text ist, und wählen Sie sie erneut.',
  },
  SOURCE_CHANGED: {
    message: 'Eine Quelldatei hat sich geändert, während das Paket geschrieben wurde; das Paket wurde verworfen.',
    action: 'Warten Sie, bis nichts mehr in die ausgewählten Dateien schreibt, und exportieren Sie dann erneut.',
  },
  SOURCE_EMPTY: { message: 'Die Auswahl enthält keine Dateien.', action: 'Fügen Sie der Auswahl mindestens eine Datei hinzu.' },
  NO_STATION_KEY: {
    message: 'Diese Station hat noch keinen Signaturschlüssel.',
    action: 'Erzeugen Sie zuerst den Stationsschlüssel (Schlüssel), oder stellen Sie ihn aus seiner Sicherung wieder her.',
  },
  STATION_KEY_EXISTS: {
    message: 'Diese Station hat bereits einen Signaturschlüssel; Airlock ersetzt ihn nicht.',
    action: 'Nichts zu tun: Diese Station hat ihren Schlüssel bereits. Airlock ersetzt ihn nie.',
  },
  PASSPHRASE_WRONG: {
    message: 'Die Passphrase entsperrt den Stationsschlüssel nicht.',
    action: 'Geben Sie die Passphrase erneut ein; prüfen Sie Tastaturbelegung und Feststelltaste.',
  },
  SIGNING_KEY_UNUSABLE: {
    message: 'Der Signaturschlüssel kann nicht signieren: Er ist abgelaufen oder widerrufen, oder seine Datei ist beschädigt.',
    action:
      'Mit diesem Schlüssel lässt sich nichts signieren. Wechseln Sie zu einem neuen Stationsschlüssel oder stellen Sie einen intakten aus der Sicherung wieder her, und geben Sie empfangenden Stationen den neuen öffentlichen Schlüssel.',
  },
  KEY_INVALID: {
    message: 'Die Datei ist kein verwendbarer öffentlicher OpenPGP-Schlüssel.',
    action: 'Bitten Sie den Unterzeichner erneut um seinen öffentlichen Schlüssel (eine armored .asc-Datei mit einem öffentlichen Schlüssel).',
  },
  KEY_SHA1_BINDING: {
    message:
      'Die eigenen Signaturen des Schlüssels (seine Selbstsignatur oder die Bindung seines Signatur-Unterschlüssels) verwenden SHA-1, das durch Kollisionen mit gewähltem Präfix gebrochen ist: Eine solche Bindung lässt sich fälschen. Es wurde nichts als vertrauenswürdig eingetragen.',
    action:
      'Bitten Sie den Inhaber des Schlüssels, ihn mit SHA-256 neu zu signieren (die Meldung nennt die GnuPG-Befehle) und den neuen öffentlichen Schlüssel zu senden; vertrauen Sie dann dieser Datei.',
  },
  KEY_V6_UNSUPPORTED: {
    message:
      'Der Schlüssel ist ein OpenPGP-v6-Schlüssel (RFC 9580): GnuPG 2.2 und 2.4 können seine Signaturen nicht prüfen, und Airlock-Pakete müssen mit GnuPG prüfbar sein. Es wurde nichts als vertrauenswürdig eingetragen.',
    action:
      'Bitten Sie den Unterzeichner um einen v4-Schlüssel (GnuPG 2.2 und 2.4 erzeugen ihn standardmäßig, Airlock ebenso; die Meldung nennt den GnuPG-Befehl) und vertrauen Sie diesem öffentlichen Schlüssel.',
  },
  FINGERPRINT_MISMATCH: {
    message:
      'Die Schlüsseldatei hat nicht den erwarteten Fingerabdruck: Sie wurde möglicherweise ausgetauscht. Es wurde nichts als vertrauenswürdig eingetragen.',
    action:
      'Vertrauen Sie dieser Datei nicht. Besorgen Sie den Schlüssel erneut und vergleichen Sie den Fingerabdruck auf einem zweiten Weg mit dem Unterzeichner.',
  },
  KEY_NOT_FOUND: {
    message: 'Kein vertrauenswürdiger Schlüssel hat diesen Fingerabdruck.',
    action: 'Aktualisieren Sie die Liste der vertrauenswürdigen Unterzeichner; der Schlüssel wurde möglicherweise schon entfernt.',
  },
  HOME_INVALID: {
    message: 'Das Airlock-Stammverzeichnis kann nicht verwendet werden.',
    action: 'Prüfen Sie, ob der Airlock-Datenordner existiert und Sie darin schreiben dürfen; fragen Sie sonst Ihren Administrator.',
  },
  CONFIG_INVALID: {
    message: 'Eine Konfigurationsdatei der Station ist fehlerhaft.',
    action: 'Bitten Sie Ihren IT-Sicherheitsbeauftragten, die in der Meldung genannte Konfigurationsdatei zu reparieren.',
  },
  SETTINGS_INVALID: {
    message: 'Eine Einstellung liegt außerhalb des zulässigen Bereichs oder ist fehlerhaft; es wurde nichts gespeichert.',
    action: 'Korrigieren Sie den in der Meldung genannten Wert (das Formular sagt, was jedes Feld annimmt) und speichern Sie erneut.',
  },
  BUNDLE_UNREADABLE: {
    message: 'Die Paketdatei lässt sich nicht öffnen.',
    action: 'Prüfen Sie, ob der Datenträger eingesteckt und die Datei ein Airlock-Paket ist, und wählen Sie sie erneut.',
  },
  BUNDLE_IS_FOLDER: {
    message: 'Der als Paket angegebene Pfad ist ein Ordner, keine Paketdatei.',
    action: 'Wählen Sie die Datei NAME.airlock.tar in dem Ordner, oder prüfen Sie alle Pakete eines Datenträgers mit „Datenträger prüfen“.',
  },
  BUNDLE_CHANGED: {
    message:
      'Das Paket hat sich nach der Prüfung geändert: Die erneut gelesenen Bytes zum Übertragen eines Images sind nicht die geprüften; keines davon wurde gespeichert.',
    action:
      'Kopieren Sie das Paket in einen Ordner, in den nichts anderes schreibt (auf der eigenen Festplatte dieser Station), und importieren Sie es dann erneut: Es wird von Anfang an neu geprüft.',
  },
  NOT_A_BUNDLE: {
    message: 'Die Datei ist kein Airlock-Paket.',
    action:
      'Wählen Sie die Datei NAME.airlock.tar (oder einen Teil oder den Datenträgerindex eines geteilten Pakets). Quittungen, Schlüssel, zip- und Textdateien sind keine Pakete.',
  },
  STAGED_INVALID: {
    message: 'Der vorbereitete Export ist unvollständig oder wurde nach der Vorbereitung verändert; er kann nicht freigegeben oder abgeschlossen werden.',
    action: 'Bereiten Sie den Export erneut vor und lassen Sie ihn erneut freigeben.',
  },
  STAGED_FINISHED: {
    message:
      'Dieser vorbereitete Export wird gerade von einem anderen Befehl abgeschlossen, oder sein Paket wurde bereits geschrieben: Aus einem vorbereiteten Export entsteht genau ein Paket.',
    action:
      'Suchen Sie seinen Export im Prüfprotokoll: Wurde sein Paket geschrieben, verwerfen Sie den vorbereiteten Export; läuft noch ein Abschluss, lassen Sie ihn zu Ende laufen.',
  },
  MEDIA_IS_SYSTEM_DISK: {
    message:
      'Der genannte Datenträger liegt auf einer Systemplatte (der mit dem Betriebssystem, der Auslagerung, dem Stationsverzeichnis oder Airlock selbst): Dorthin schreibt Airlock nie.',
    action: 'Stecken Sie einen Wechseldatenträger (USB-Stick oder SD-Karte) ein und wählen Sie ihn aus der Liste der Datenträger.',
  },
  MEDIA_HOLDS_SOURCES: {
    message:
      'Der genannte Datenträger liegt auf der Platte, die für diesen Export ausgewählte Dateien enthält: Airlock schreibt ein Paket nie auf die Platte, von der es liest.',
    action: 'Wählen Sie einen anderen Datenträger, oder kopieren Sie die zu exportierenden Dateien zuerst von diesem herunter und wählen Sie die Kopien.',
  },
  MEDIA_NOT_FOUND: {
    message: 'Kein Wechseldatenträger passt zu diesem Namen.',
    action: 'Stecken Sie den Datenträger ein, prüfen Sie, ob er in der Liste der Datenträger erscheint, und wählen Sie ihn dort.',
  },
  MEDIA_AMBIGUOUS: {
    message: 'Mehrere Wechseldatenträger passen zu diesem Namen.',
    action: 'Benennen Sie den Datenträger über sein Gerät oder seinen Einhängepunkt (in der Liste der Datenträger) statt über seine Bezeichnung.',
  },
  MEDIA_NOT_MOUNTED: {
    message: 'Der Datenträger ist nicht eingehängt; Airlock kann ihn daher weder beschreiben noch lesen.',
    action: 'Hängen Sie den Datenträger ein (im Dateimanager öffnen, oder `udisksctl mount -b GERÄT`) und versuchen Sie es erneut.',
  },
  MEDIA_READONLY: {
    message: 'Der Datenträger ist schreibgeschützt (Schreibschutzschalter, oder schreibgeschützt eingehängt).',
    action: 'Schieben Sie den Schreibschutzschalter zurück oder hängen Sie den Datenträger beschreibbar ein, oder wählen Sie einen anderen Datenträger.',
  },
  MEDIA_TOO_SMALL: {
    message: 'Das Paket passt nicht auf die angegebenen Datenträger.',
    action: 'Verwenden Sie einen größeren Datenträger, oder verteilen Sie das Paket auf mehrere Datenträger.',
  },
  MEDIA_REMOVED: {
    message: 'Der Datenträger wurde während des Schreibens entfernt oder reagierte nicht mehr.',
    action:
      'Stecken Sie den Datenträger wieder ein und beginnen Sie von vorn; Airlock entfernt die Reste des unterbrochenen Schreibens, wenn es das nächste Mal dorthin schreibt.',
  },
  MEDIA_EJECT_FAILED: {
    message: 'Der Datenträger konnte nicht ausgeworfen werden.',
    action: 'Schließen Sie alle Programme, die den Datenträger verwenden (Dateimanager, ein Terminal in diesem Ordner), und werfen Sie ihn erneut aus.',
  },
  MEDIA_READBACK_FAILED: {
    message: 'Das Zurücklesen des Datenträgers ergab nicht die geschriebenen Bytes: Verwenden Sie diesen Datenträger nicht.',
    action:
      'Legen Sie diesen Datenträger beiseite (er ist fehlerhaft oder wurde an Airlock vorbei verändert) und exportieren Sie erneut auf einen anderen. Die Dateien blieben zur Untersuchung darauf.',
  },
  MEDIA_NOT_LISTED: {
    message: 'Der gewählte Datenträger ist nicht unter denen, die Airlock jetzt erkennt: Er wurde entfernt oder ausgehängt, oder er wurde nie angeboten.',
    action: 'Prüfen Sie, ob der Datenträger eingesteckt und eingehängt ist, warten Sie kurz, bis die Liste sich aktualisiert, und wählen Sie ihn erneut.',
  },
  AUDIT_UNAVAILABLE: {
    message:
      'Das Prüfprotokoll konnte diesen Vorgang nicht festhalten. Der Vorgang selbst ist möglicherweise abgeschlossen: Prüfen Sie das, bevor Sie ihn wiederholen.',
    action:
      'Prüfen Sie das Ergebnis (das Paket oder den importierten Ordner), bevor Sie wiederholen, und stellen Sie sicher, dass kein anderes Programm die Stationsdatenbank belegt.',
  },
  SENDER_REFUSED: {
    message: 'Abgelehnt: Die Anfrage kam nicht aus dem Airlock-Fenster selbst (eine andere Seite oder ein eingebetteter Rahmen hat sie gesendet).',
    action:
      'Schließen und öffnen Sie Airlock erneut. Geschieht es wieder, melden Sie es Ihrem IT-Sicherheitsbeauftragten: Etwas anderes als das Airlock-Fenster hat versucht, es zu benutzen.',
  },
  JOB_NOT_FOUND: {
    message: 'Diesen Auftrag gibt es nicht: Er hat nie existiert, oder er ist schon so lange beendet, dass er vergessen wurde.',
    action:
      'Suchen Sie den gemeinten Auftrag in der Auftragsliste; starten Sie den Vorgang erneut, wenn er dort nicht steht (das Prüfprotokoll hält fest, wie er endete).',
  },
  CANCELLED: {
    message: 'Der Vorgang wurde abgebrochen; nichts blieb halb geschrieben zurück.',
    action: 'Nichts aufzuräumen. Beginnen Sie erneut, wenn Sie bereit sind.',
  },
  INTERRUPTED: {
    message:
      'Der Vorgang wurde unterbrochen (der Prozess wurde beendet, stürzte ab oder verlor den Strom), bevor er fertig war; ein späterer Start hat ihn als fehlgeschlagen festgehalten.',
    action: 'Starten Sie Import oder Export erneut: Davon wurde nichts behalten (sein Prüfprotokoll-Ereignis sagt, was gefunden wurde).',
  },
  IMAGE_SOURCE_INVALID: {
    message: 'Eine Image- oder Chart-Referenz ist fehlerhaft oder nennt einen Transport, den Airlock nicht liest.',
    action:
      'Schreiben Sie die Referenz als oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE oder docker://HOST[:PORT]/REPO:TAG (oder @sha256:DIGEST).',
  },
  IMAGE_NOT_FOUND: {
    message: 'Das genannte Image oder Chart wurde dort, wohin die Referenz zeigt, nicht gefunden.',
    action: 'Prüfen Sie Pfad, Tag oder Digest (listen Sie Layout oder Registry auf, um zu sehen, was sie enthalten) und versuchen Sie es erneut.',
  },
  IMAGE_SOURCE_CORRUPT: {
    message: 'Die Image-Quelle ist beschädigt: Ein Blob fehlt oder passt nicht zu seinem Digest.',
    action: 'Kopieren Sie das Image erneut von seiner Herkunft (skopeo copy, docker save) und exportieren Sie erneut.',
  },
  REGISTRY_UNREACHABLE: {
    message: 'Die Container-Registry war nicht erreichbar, oder sie hat die Verbindung abgebrochen.',
    action:
      'Prüfen Sie die Adresse der Registry, ob sie läuft, und den Netzwerkweg dorthin; versuchen Sie es dann erneut: Eine Übertragung setzt dort fort, wo sie aufhörte.',
  },
  REGISTRY_AUTH_FAILED: {
    message: 'Die Container-Registry hat die Zugangsdaten abgelehnt oder kein Token dafür ausgegeben.',
    action: 'Prüfen Sie Benutzername und Kennwort oder Token für diese Registry, und ob der Benutzer in das Repository schreiben darf.',
  },
  REGISTRY_REFUSED: {
    message: 'Die Container-Registry hat die Anfrage abgelehnt.',
    action:
      'Lesen Sie den Registry-Code in der Meldung (DENIED, TAG_INVALID bei einem unveränderlichen Tag ...); beheben Sie es in der Registry und übertragen Sie erneut.',
  },
  REGISTRY_DIGEST_MISMATCH: {
    message: 'Die Container-Registry meldet einen anderen Digest als den im signierten Paket; das Image ist nicht das freigegebene.',
    action:
      'Verwenden Sie das übertragene Image nicht. Informieren Sie Ihren IT-Sicherheitsbeauftragten; prüfen Sie die Registry auf einen Proxy oder eine Umschreiberegel, die Manifeste verändert.',
  },
  REGISTRY_BLOB_ABSENT: {
    message:
      'Ein Blob, ohne den das Paket exportiert wurde (dem Absender wurde gesagt, diese Registry habe ihn), ist nicht in der Registry; es wurde nichts übertragen.',
    action:
      'Bitten Sie den Absender, ohne ausgelassene Blobs oder mit einer aktuellen Quittung dieser Station erneut zu exportieren: Die Registry enthält nicht mehr, was eine ältere Quittung angab.',
  },
  RECEIPT_NOT_WRITTEN: {
    message:
      'Die Quittung konnte nicht geschrieben werden. Die Übertragung ist abgeschlossen und protokolliert: Die Daten liegen am Ziel, und das Prüfprotokoll-Ereignis bleibt gültig.',
    action:
      'Wiederholen Sie die Übertragung nicht: Schaffen Sie Platz im Ordner der Quittung (oder beheben Sie das Problem dort); das Prüfprotokoll enthält den Eintrag der Übertragung.',
  },
  RECEIPT_PDF_FAILED: {
    message:
      'Die PDF-Fassung der Quittung konnte nicht erstellt werden. Die Übertragung ist abgeschlossen und protokolliert: Die JSON-Quittung, ihre Signatur und das Prüfprotokoll-Ereignis bleiben gültig.',
    action:
      'Legen Sie die signierte JSON-Quittung (oder die ausgedruckte HTML-Seite daneben) ab. Geschieht es erneut, prüfen Sie, ob die Installation vollständig ist (ihre Quittungs-Schriftarten), und melden Sie es.',
  },
  RECEIPT_INVALID: {
    message: 'Die Quittungsdatei ist fehlerhaft, unsigniert oder nicht von einem vertrauenswürdigen Schlüssel signiert.',
    action:
      'Verwenden Sie die Importquittung genau so, wie die empfangende Station sie schrieb (die .json mit ihrer .asc), signiert von einem Schlüssel, dem diese Station vertraut.',
  },
  QUARANTINE_NOT_FOUND: {
    message: 'Kein Paket in Quarantäne hat diese Kennung.',
    action: 'Lassen Sie auflisten, was die Quarantäne enthält, und verwenden Sie eine Kennung aus dieser Liste.',
  },
  QUARANTINE_NOT_HELD: {
    message: 'Dieses Paket liegt nicht mehr in Quarantäne: Es wurde bereits freigegeben oder gelöscht.',
    action: 'Nichts zu tun: Sehen Sie im Prüfprotokoll nach, wer es wann freigegeben oder gelöscht hat.',
  },
  QUARANTINE_BUSY: {
    message: 'Ein anderer Bediener hält gerade eine Entscheidung über dieses Paket in Quarantäne fest oder gibt es frei; für Sie wurde nichts festgehalten.',
    action:
      'Warten Sie einen Moment, sehen Sie sich den Eintrag erneut an (seine Zustimmungen oder seine Freigabe können sich geändert haben) und entscheiden Sie dann.',
  },
  RELEASE_APPROVAL_INVALID: {
    message:
      'Die Freigabe wurde nicht so genehmigt, wie die Richtlinie der Station es verlangt (eine Begründung, und ein zweiter, anderer Bediener, wo das Vier-Augen-Prinzip gilt).',
    action: 'Geben Sie die Begründung der Freigabe an; wo die Richtlinie zwei Personen verlangt, stimmt ein zweiter Bediener unter eigenem Namen zu.',
  },
  SCANNER_ERROR: {
    message: 'Der Virenscanner war nicht erreichbar, oder er hat den Befehl abgelehnt.',
    action: 'Prüfen Sie, ob der Scanner läuft und die Adresse in der Richtlinie der Station stimmt, und versuchen Sie es erneut.',
  },
  FEED_INVALID: {
    message:
      'Der Feed der Signaturdatenbank ist fehlerhaft, nicht von einem Schlüssel mit der Rolle „feeds“ signiert oder hat die Datenbankprüfung nicht bestanden; die Datenbank des Scanners wurde nicht geändert.',
    action: 'Bitten Sie die sendende Seite um ein neues Feed-Paket, signiert von einem Schlüssel, dem diese Station mit der Rolle „feeds“ vertraut.',
  },
  CHANNEL_NAME_INVALID: {
    message:
      'Ein Kanalname darf nur Kleinbuchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten (1-64 Zeichen) und muss mit einem Buchstaben oder einer Ziffer beginnen.',
    action: 'Verwenden Sie einen kurzen Namen wie „diode-a“ oder „feeds.daily“.',
  },
  CHANNEL_BUSY: {
    message: 'Ein anderer Export auf diesem Kanal wird gerade geschrieben; Exporte auf einem Kanal laufen nacheinander.',
    action: 'Warten Sie, bis der andere Export auf dem Kanal fertig ist, und versuchen Sie es erneut.',
  },
  HOME_FILE_BUSY: {
    message:
      'Ein anderer Befehl ändert die Einstellungen dieser Station (vertrauenswürdige Schlüssel, config.json oder policy.json) schon zu lange; es wurde nichts geändert.',
    action:
      'Suchen Sie eine hängende Schlüssel- oder Einstellungsänderung (ein anderes Fenster oder Skript dieser Station), lassen Sie sie enden oder beenden Sie sie, und versuchen Sie es erneut.',
  },
  CHANNEL_STAMP_STALE: {
    message:
      'Die Kanal-Sequenznummer des vorbereiteten Exports wurde seit der Vorbereitung von einem anderen auf dem Kanal veröffentlichten Paket belegt; es wurde nichts geschrieben.',
    action: 'Verwerfen Sie den vorbereiteten Export und bereiten Sie ihn erneut vor: Er erhält dann die nächste Nummer des Kanals.',
  },
  WATCH_INBOX_INVALID: {
    message: 'Der Eingang muss ein vorhandener Ordner sein, getrennt vom Ziel und vom Stammverzeichnis der Station (keiner im anderen).',
    action: 'Geben Sie einen Eingangsordner an, der existiert und außerhalb des Ziels und des Stammverzeichnisses der Station liegt.',
  },
  WATCH_ALREADY_RUNNING: {
    message: 'Auf diesem Eingang läuft bereits eine Überwachung dieser Station.',
    action: 'Prüfen Sie den Status der laufenden Überwachung; beenden Sie sie, bevor Sie eine weitere auf demselben Eingang starten.',
  },
  FORWARD_UNAVAILABLE: {
    message:
      'Ein Ziel der Prüfprotokoll-Weiterleitung (Syslog oder die JSON-Lines-Datei) konnte die Ereignisse nicht annehmen; sie bleiben im Ausgang und werden später gesendet.',
    action: 'Prüfen Sie, ob der SIEM- oder Syslog-Server läuft, sowie Adresse und Zertifikate in config.json; der Weiterleitungsstatus zeigt den Rückstand.',
  },
  RECEIPT_DIR_UNUSABLE: {
    message:
      'Der Beleg konnte nicht in diesen Ordner geschrieben werden (er ist eine Datei, nicht beschreibbar oder liegt auf dem geprüften Datenträger). Die Prüfung selbst gilt und ist im Prüfprotokoll festgehalten.',
    action:
      'Wählen Sie einen beschreibbaren Ordner auf dieser Station für die Belege (nie auf dem Datenträger) oder prüfen Sie den Ordner receipts im Stationsverzeichnis, und prüfen Sie den Datenträger erneut, um seinen Beleg zu erhalten.',
  },
  INTERNAL: {
    message: 'Ein unerwarteter interner Fehler ist aufgetreten.',
    action: 'Versuchen Sie es erneut. Geschieht es wieder, notieren Sie die Uhrzeit und was Sie getan haben, und melden Sie es.',
  },
};
