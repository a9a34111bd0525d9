import { defineMessages } from './define';

export const transparencyLog = defineMessages(
  {
    'tlog.error.proofRequest': 'Nie można przygotować dowodu dla podanych parametrów.',
    'tlog.error.required': 'Podaj parametr „{field}”.',
    'tlog.error.count': 'Parametr „{field}” musi być liczbą całkowitą od 0 do {max}.',
    'tlog.error.indexNotBelowSize':
      'Parametr „index” ({index}) musi być mniejszy niż parametr „size” ({size}).',
    'tlog.error.beyondLog': 'Parametr „{field}” ({value}) przekracza bieżący rozmiar dziennika ({treeSize}).',
    'tlog.error.fromAboveTo': 'Parametr „from” ({from}) nie może być większy niż parametr „to” ({to}).',
    'tlog.error.noCheckpoint':
      'Dziennik nie ma jeszcze podpisanego punktu kontrolnego. Spróbuj ponownie za chwilę.',
    'tlog.error.tile.level':
      'Nieprawidłowa ścieżka kafelka: poziom to liczba od 0 do 63 (bez zer wiodących) albo „entries”.',
    'tlog.error.tile.width':
      'Nieprawidłowa ścieżka kafelka: szerokość kafelka częściowego („.p/W”) to liczba od 1 do 255.',
    'tlog.error.tile.index':
      'Nieprawidłowa ścieżka kafelka: numer kafelka zapisuje się trzycyfrowymi częściami, wszystkie oprócz ostatniej z przedrostkiem „x” (np. x001/x234/067).',
    'tlog.error.tile.canonical':
      'Nieprawidłowa ścieżka kafelka: numer kafelka nie może zaczynać się od części „x000”.',
    'tlog.error.tileMissing': 'Dziennik nie zawiera jeszcze tego kafelka.',
  },
  {
    'tlog.error.proofRequest': 'A proof cannot be made for the parameters given.',
    'tlog.error.required': 'The parameter “{field}” is required.',
    'tlog.error.count': 'The parameter “{field}” must be a whole number from 0 to {max}.',
    'tlog.error.indexNotBelowSize':
      'The parameter “index” ({index}) must be smaller than the parameter “size” ({size}).',
    'tlog.error.beyondLog':
      'The parameter “{field}” ({value}) exceeds the current size of the log ({treeSize}).',
    'tlog.error.fromAboveTo':
      'The parameter “from” ({from}) may not be greater than the parameter “to” ({to}).',
    'tlog.error.noCheckpoint': 'The log has no signed checkpoint yet. Try again shortly.',
    'tlog.error.tile.level':
      'Invalid tile path: the level is a number from 0 to 63 (no leading zeros) or “entries”.',
    'tlog.error.tile.width':
      'Invalid tile path: the width of a partial tile (“.p/W”) is a number from 1 to 255.',
    'tlog.error.tile.index':
      'Invalid tile path: the tile index is written in 3-digit elements, all but the last prefixed with “x” (e.g. x001/x234/067).',
    'tlog.error.tile.canonical': 'Invalid tile path: the tile index may not start with an “x000” element.',
    'tlog.error.tileMissing': 'The log does not contain this tile yet.',
  },
);
