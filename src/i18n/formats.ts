import { defineMessages } from './define';

export const formats = defineMessages(
  {
    'format.category.documents': 'Tekst i dokumenty',
    'format.category.graphics': 'Grafika',
    'format.category.audio-video': 'Dźwięk i obraz',
    'format.category.archives': 'Archiwa (sprawdzamy każdy plik w środku)',
    'format.category.xml-structure': 'Dane w strukturze XML',
    'format.category.xml-processing': 'Przetwarzanie XML',
    'format.category.web': 'Strony internetowe',
    'format.category.signatures': 'Podpis elektroniczny i szyfrowanie',
    'format.category.local': 'Formaty przyjmowane dodatkowo przez urząd',
  },
  {
    'format.category.documents': 'Text and documents',
    'format.category.graphics': 'Graphics',
    'format.category.audio-video': 'Audio and video',
    'format.category.archives': 'Archives (we check every file inside)',
    'format.category.xml-structure': 'Structured XML data',
    'format.category.xml-processing': 'XML processing',
    'format.category.web': 'Web pages',
    'format.category.signatures': 'Electronic signatures and encryption',
    'format.category.local': 'Formats this office also accepts',
  },
);
