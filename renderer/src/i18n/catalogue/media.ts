/** Removable media: their facts, the count above the list, how a read-back was done. */
import { area } from './define.js';

export const mediaMessages = area(
  {
    'media.freeUnknown': 'free space unknown',
    'media.free': '{free} free',
    'media.freeOf': '{free} free of {size}',
    'media.fsUnknown': 'file system unknown',
    'media.at': 'at {mountPoint}',
    'media.notMounted': 'not mounted',
    'media.declared': 'folder declared as a medium in config.json',
    'media.readOnly': 'read-only',
    'media.looking': 'Looking for removable media…',
    'media.none': 'No medium detected',
    'media.noneWrite':
      'Insert a USB stick, SD card or disk. It appears here within a few seconds once the system has mounted it. Disks that hold the system or this station are never offered. Or choose a folder below.',
    'media.noneRead':
      'Insert a USB stick, SD card or disk. It appears here within a few seconds once the system has mounted it. Disks that hold the system or this station are never offered. Or choose a bundle file below.',
    'media.count':
      '{count, plural, one {One medium detected.} other {# media detected: make sure you choose the right one.}} The list updates by itself when a medium is inserted or removed.',
    'media.readBack.o-direct': 'direct reads (O_DIRECT) that bypass the page cache',
    'media.readBack.flushbufs': 'the device’s buffers were dropped, then direct reads (O_DIRECT) that bypass the page cache',
    'media.readBack.fadvise': 'the file’s cached pages were dropped before and while reading',
    'media.readBack.remount': 'the medium was unmounted and mounted again, then read',
    'media.readBack.buffered': 'an ordinary read: the page cache may have answered instead of the medium',
  },
  {
    'media.freeUnknown': 'freier Platz unbekannt',
    'media.free': '{free} frei',
    'media.freeOf': '{free} frei von {size}',
    'media.fsUnknown': 'Dateisystem unbekannt',
    'media.at': 'unter {mountPoint}',
    'media.notMounted': 'nicht eingehängt',
    'media.declared': 'in config.json als Datenträger angegebener Ordner',
    'media.readOnly': 'schreibgeschützt',
    'media.looking': 'Suche nach Wechseldatenträgern…',
    'media.none': 'Kein Datenträger erkannt',
    'media.noneWrite':
      'Stecken Sie einen USB-Stick, eine SD-Karte oder eine Festplatte ein. Sie erscheint hier wenige Sekunden, nachdem das System sie eingehängt hat. Festplatten mit dem System oder dieser Station werden nie angeboten. Oder wählen Sie unten einen Ordner.',
    'media.noneRead':
      'Stecken Sie einen USB-Stick, eine SD-Karte oder eine Festplatte ein. Sie erscheint hier wenige Sekunden, nachdem das System sie eingehängt hat. Festplatten mit dem System oder dieser Station werden nie angeboten. Oder wählen Sie unten eine Paketdatei.',
    'media.count':
      '{count, plural, one {Ein Datenträger erkannt.} other {# Datenträger erkannt: Achten Sie darauf, den richtigen zu wählen.}} Die Liste aktualisiert sich selbst, wenn ein Datenträger eingesteckt oder entfernt wird.',
    'media.readBack.o-direct': 'direktes Lesen (O_DIRECT) am Seitencache vorbei',
    'media.readBack.flushbufs': 'die Puffer des Geräts wurden verworfen, dann direktes Lesen (O_DIRECT) am Seitencache vorbei',
    'media.readBack.fadvise': 'die zwischengespeicherten Seiten der Datei wurden vor und während des Lesens verworfen',
    'media.readBack.remount': 'der Datenträger wurde aus- und wieder eingehängt und dann gelesen',
    'media.readBack.buffered': 'gewöhnliches Lesen: Möglicherweise hat der Seitencache statt des Datenträgers geantwortet',
  },
);
