import { defineMessages } from './define';

/** What was found in a file that is not what its extension says, in both languages. */
const FOUND = {
  exe: ['plik wykonywalny Windows (PE)', 'a Windows executable (PE)'],
  elf: ['plik wykonywalny Linux/Unix (ELF)', 'a Linux/Unix executable (ELF)'],
  macho: ['plik wykonywalny macOS (Mach-O)', 'a macOS executable (Mach-O)'],
  script: ['skrypt („#!”)', 'a script (“#!”)'],
  pdf: ['dokument PDF', 'a PDF document'],
  rtf: ['dokument RTF', 'an RTF document'],
  ole2: [
    'plik złożony OLE2 innego rodzaju (np. inny dokument Office 97–2003 albo instalator MSI)',
    'an OLE2 compound file of another kind (e.g. another Office 97–2003 document or an MSI installer)',
  ],
  zip: ['archiwum ZIP', 'a ZIP archive'],
  odf: ['dokument OpenDocument (ODF) innego rodzaju', 'an OpenDocument (ODF) document of another kind'],
  ooxml: [
    'dokument Microsoft Office (OOXML) innego rodzaju',
    'a Microsoft Office (OOXML) document of another kind',
  ],
  xps: ['dokument XPS', 'an XPS document'],
  asic: ['kontener podpisu ASiC', 'an ASiC signature container'],
  png: ['obraz PNG', 'a PNG image'],
  jpeg: ['obraz JPEG', 'a JPEG image'],
  gif: ['obraz GIF', 'a GIF image'],
  tiff: ['obraz TIFF', 'a TIFF image'],
  bmp: ['obraz BMP', 'a BMP image'],
  wav: ['dźwięk WAV', 'a WAV sound file'],
  avi: ['film AVI', 'an AVI video'],
  ogg: ['plik Ogg', 'an Ogg file'],
  mp4: ['plik MPEG-4', 'an MPEG-4 file'],
  mp3: ['dźwięk MP3', 'an MP3 sound file'],
  mpeg: ['film MPEG', 'an MPEG video'],
  '7z': ['archiwum 7-Zip', 'a 7-Zip archive'],
  rar: ['archiwum RAR', 'a RAR archive'],
  gzip: ['archiwum GZIP', 'a GZIP archive'],
  jp2: ['obraz JPEG 2000', 'a JPEG 2000 image'],
  dwg: ['rysunek DWG', 'a DWG drawing'],
  cades: ['podpis CAdES (PKCS#7)', 'a CAdES signature (PKCS#7)'],
  tar: ['archiwum TAR', 'a TAR archive'],
  html: ['strona HTML', 'an HTML page'],
  xml: ['dokument XML innego rodzaju', 'an XML document of another kind'],
  text: ['zwykły tekst', 'plain text'],
  binary: ['nierozpoznane dane binarne', 'unrecognised binary data'],
} as const;

type FoundKeys = { [K in keyof typeof FOUND as `validation.found.${K}`]: string };

function found(lang: 0 | 1, template: string): FoundKeys {
  return Object.fromEntries(
    Object.entries(FOUND).map(([kind, names]) => [
      `validation.found.${kind}`,
      template.replace('{found}', names[lang]),
    ]),
  ) as FoundKeys;
}

export const validation = defineMessages(
  {
    ...found(
      0,
      'Plik „{file}” nie jest prawidłowym plikiem .{extension} — rozpoznano: {found}. Wyślij plik, którego treść odpowiada rozszerzeniu.',
    ),
    'validation.refused': 'Nie przyjęliśmy przesłanych plików',
    'validation.noExtension':
      'Plik „{file}” nie ma rozszerzenia (np. „.pdf”), więc nie wiadomo, w jakim jest formacie. Nadaj mu rozszerzenie zgodne z treścią.',
    'validation.extensionNotAllowed':
      'Plik „{file}”: ten urząd nie przyjmuje plików z rozszerzeniem „.{extension}”. Listę przyjmowanych formatów podaje strona skrzynki podawczej urzędu.',
    'validation.archiveNotInspectable':
      'Plik „{file}” to archiwum (.{extension}), którego zawartości nie możemy sprawdzić, a ten urząd takich archiwów nie przyjmuje. Spakuj pliki do archiwum ZIP.',
    'validation.emptyFile': 'Plik „{file}” jest pusty (0 bajtów). Wybierz właściwy plik.',
    'validation.notUtf8':
      'Plik „{file}” nie jest tekstem zapisanym w kodowaniu UTF-8 (zawiera bajty spoza UTF-8 albo znaki NUL). Zapisz go ponownie jako tekst UTF-8.',
    'validation.xmlEncoding':
      'Plik „{file}” nie daje się odczytać w kodowaniu zadeklarowanym w nagłówku XML (domyślnie UTF-8). Zapisz go ponownie jako UTF-8.',
    'validation.xmlMalformed':
      'Plik „{file}” nie jest poprawnym dokumentem XML. Sprawdź, czy plik nie jest uszkodzony.',
    'validation.xmlMalformedAt':
      'Plik „{file}” nie jest poprawnym dokumentem XML (błąd w wierszu {line}). Sprawdź, czy plik nie jest uszkodzony.',
    'validation.xmlDtd':
      'Plik „{file}” zawiera deklarację DOCTYPE lub ENTITY. Ze względów bezpieczeństwa nie przyjmujemy XML z definicją typu dokumentu, encjami ani odwołaniami do zewnętrznych zasobów — usuń tę deklarację.',
    'validation.xmlTooDeep': 'Plik „{file}” ma elementy XML zagnieżdżone głębiej niż {limit} poziomów.',
    'validation.xmlTooLarge': 'Plik „{file}” to dokument XML większy niż {limit}.',
    'validation.svgActive':
      'Obraz „{file}” zawiera aktywną treść (skrypty, obsługę zdarzeń, odnośniki „javascript:” lub obiekty obce), a ten urząd takich obrazów nie przyjmuje.',
    'validation.archivePath':
      'Archiwum zawiera plik „{file}”, którego ścieżka jest bezwzględna lub wychodzi poza archiwum („..”). Spakuj pliki ponownie, bez takich ścieżek.',
    'validation.archiveLink':
      'Archiwum zawiera dowiązanie „{file}” (link symboliczny lub twardy). Dowiązań nie przyjmujemy — spakuj same pliki.',
    'validation.archiveSpecial':
      'Archiwum zawiera „{file}”, który nie jest zwykłym plikiem ani katalogiem (np. urządzenie lub kolejkę).',
    'validation.archiveNameMismatch':
      'Plik „{file}” ma w archiwum dwie różne nazwy (w nagłówku pliku i w spisie zawartości). Tak ukrywa się pliki przed sprawdzeniem, dlatego archiwum nie zostało przyjęte.',
    'validation.archiveMethod':
      'Plik „{file}” w archiwum jest skompresowany nieobsługiwaną metodą ({method}). Spakuj archiwum ponownie zwykłą kompresją ZIP (deflate).',
    'validation.archiveTooManyEntries':
      'Archiwum „{file}” zawiera więcej niż {limit} plików (licząc archiwa w archiwach).',
    'validation.archiveTooLarge': 'Archiwum „{file}” po rozpakowaniu zajmuje więcej niż {limit}.',
    'validation.archiveRatio':
      'Archiwum „{file}” po rozpakowaniu jest ponad {ratio} razy większe od samego archiwum. Tak zachowują się tzw. bomby zipowe, dlatego go nie przyjmujemy.',
    'validation.archiveDepth':
      'Archiwum „{file}” jest zbyt głęboko zagnieżdżone: dopuszczamy najwyżej {limit} poziomy archiwów w archiwach.',
    'validation.archiveEncrypted':
      'Plik „{file}” w archiwum jest zaszyfrowany hasłem, więc nie możemy go sprawdzić. Spakuj pliki bez hasła.',
    'validation.archiveCorrupt':
      'Archiwum „{file}” jest uszkodzone lub niekompletne i nie da się go odczytać.',
    'validation.documentCorrupt': 'Plik „{file}” jest uszkodzony: nie da się odczytać jego struktury.',
    'validation.fileName':
      'Plik w polu „{field}” nie ma nazwy albo jego nazwa składa się tylko ze znaków niedozwolonych. Nadaj plikowi nazwę, np. „wniosek.pdf”.',
    'validation.totalSize':
      'Dokument razem z załącznikami może mieć najwyżej {limit}. Wybrane pliki są większe — zmniejsz je lub wyślij mniej załączników.',
    'validation.finding.notInspected':
      'Archiwum „{file}” (.{extension}) nie zostało sprawdzone w środku. Otwieraj je ostrożnie.',
    'validation.finding.svgActive':
      'Obraz „{file}” zawiera aktywną treść (skrypty, obsługę zdarzeń lub odnośniki „javascript:”). Nigdy nie jest wyświetlany w przeglądarce — można go tylko pobrać.',
    'validation.finding.html':
      'Plik „{file}” jest stroną HTML. Nie jest wyświetlany w przeglądarce — można go tylko pobrać.',
    'validation.precheck.extension':
      'Plik „{file}”: ten urząd nie przyjmuje plików z rozszerzeniem „.{extension}”.',
    'validation.precheck.noExtension': 'Plik „{file}” nie ma rozszerzenia (np. „.pdf”).',
    'validation.precheck.totalSize': 'Wybrane pliki mają razem {total}, a urząd przyjmuje najwyżej {limit}.',
    'validation.precheck.heading': 'Sprawdź pliki przed wysłaniem',
  },
  {
    ...found(
      1,
      'The file “{file}” is not a valid .{extension} file — found: {found}. Send a file whose content matches its extension.',
    ),
    'validation.refused': 'The files sent were not accepted',
    'validation.noExtension':
      'The file “{file}” has no extension (such as “.pdf”), so its format is unknown. Give it the extension that matches its content.',
    'validation.extensionNotAllowed':
      'The file “{file}”: this office does not accept files with the extension “.{extension}”. The office’s submission box page lists the accepted formats.',
    'validation.archiveNotInspectable':
      'The file “{file}” is an archive (.{extension}) whose content we cannot check, and this office does not accept such archives. Pack the files into a ZIP archive.',
    'validation.emptyFile': 'The file “{file}” is empty (0 bytes). Choose the right file.',
    'validation.notUtf8':
      'The file “{file}” is not text encoded in UTF-8 (it holds bytes outside UTF-8 or NUL characters). Save it again as UTF-8 text.',
    'validation.xmlEncoding':
      'The file “{file}” cannot be read in the encoding its XML declaration names (UTF-8 by default). Save it again as UTF-8.',
    'validation.xmlMalformed':
      'The file “{file}” is not a well-formed XML document. Check that it is not damaged.',
    'validation.xmlMalformedAt':
      'The file “{file}” is not a well-formed XML document (error on line {line}). Check that it is not damaged.',
    'validation.xmlDtd':
      'The file “{file}” contains a DOCTYPE or ENTITY declaration. For security we do not accept XML with a document type definition, entities or references to external resources — remove the declaration.',
    'validation.xmlTooDeep': 'The file “{file}” nests XML elements deeper than {limit} levels.',
    'validation.xmlTooLarge': 'The file “{file}” is an XML document larger than {limitEn}.',
    'validation.svgActive':
      'The image “{file}” contains active content (scripts, event handlers, “javascript:” links or foreign objects), and this office does not accept such images.',
    'validation.archivePath':
      'The archive contains the file “{file}”, whose path is absolute or leads outside the archive (“..”). Pack the files again without such paths.',
    'validation.archiveLink':
      'The archive contains the link “{file}” (a symbolic or hard link). Links are not accepted — pack the files themselves.',
    'validation.archiveSpecial':
      'The archive contains “{file}”, which is neither a regular file nor a folder (e.g. a device or a pipe).',
    'validation.archiveNameMismatch':
      'The file “{file}” has two different names in the archive (in its own header and in the table of contents). This is how files are hidden from checks, so the archive was not accepted.',
    'validation.archiveMethod':
      'The file “{file}” in the archive uses an unsupported compression method ({method}). Pack the archive again with ordinary ZIP compression (deflate).',
    'validation.archiveTooManyEntries':
      'The archive “{file}” contains more than {limit} files (counting archives inside archives).',
    'validation.archiveTooLarge': 'The archive “{file}” takes more than {limitEn} when unpacked.',
    'validation.archiveRatio':
      'The archive “{file}” unpacks to more than {ratio} times its own size. This is how “zip bombs” behave, so it is not accepted.',
    'validation.archiveDepth':
      'The archive “{file}” is nested too deeply: at most {limit} levels of archives inside archives are accepted.',
    'validation.archiveEncrypted':
      'The file “{file}” in the archive is protected by a password, so we cannot check it. Pack the files without a password.',
    'validation.archiveCorrupt': 'The archive “{file}” is damaged or incomplete and cannot be read.',
    'validation.documentCorrupt': 'The file “{file}” is damaged: its structure cannot be read.',
    'validation.fileName':
      'The file in the field “{field}” has no name, or its name consists only of characters that are not allowed. Give the file a name, such as “request.pdf”.',
    'validation.totalSize':
      'The document with its attachments may be at most {limitEn}. The chosen files are larger — make them smaller or send fewer attachments.',
    'validation.finding.notInspected':
      'The archive “{file}” (.{extension}) was not checked inside. Open it with care.',
    'validation.finding.svgActive':
      'The image “{file}” contains active content (scripts, event handlers or “javascript:” links). It is never shown in the browser — it can only be downloaded.',
    'validation.finding.html':
      'The file “{file}” is an HTML page. It is never shown in the browser — it can only be downloaded.',
    'validation.precheck.extension':
      'The file “{file}”: this office does not accept files with the extension “.{extension}”.',
    'validation.precheck.noExtension': 'The file “{file}” has no extension (such as “.pdf”).',
    'validation.precheck.totalSize':
      'The chosen files total {total}, and the office accepts at most {limit}.',
    'validation.precheck.heading': 'Check the files before sending',
  },
);
