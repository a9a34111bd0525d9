import { defineMessages } from './define';

export const transparencyLog = defineMessages(
  {
    'tlog.error.proofRequest': 'Nie można przygotować dowodu dla podanych parametrów.',
    'tlog.error.required': 'Podaj parametr „{field}”.',
    'tlog.error.count': 'Parametr „{field}” musi być liczbą całkowitą od 0 do {max}.',
    'tlog.error.indexNotBelowSize': 'Parametr „index” ({index}) musi być mniejszy niż parametr „size” ({size}).',
    'tlog.error.beyondLog': 'Parametr „{field}” ({value}) przekracza bieżący rozmiar dziennika ({treeSize}).',
    'tlog.error.fromAboveTo': 'Parametr „from” ({from}) nie może być większy niż parametr „to” ({to}).',
    'tlog.error.noCheckpoint': 'Dziennik nie ma jeszcze podpisanego punktu kontrolnego. Spróbuj ponownie za chwilę.',
  },
  {
    'tlog.error.proofRequest': 'A proof cannot be made for the parameters given.',
    'tlog.error.required': 'The parameter “{field}” is required.',
    'tlog.error.count': 'The parameter “{field}” must be a whole number from 0 to {max}.',
    'tlog.error.indexNotBelowSize': 'The parameter “index” ({index}) must be smaller than the parameter “size” ({size}).',
    'tlog.error.beyondLog': 'The parameter “{field}” ({value}) exceeds the current size of the log ({treeSize}).',
    'tlog.error.fromAboveTo': 'The parameter “from” ({from}) may not be greater than the parameter “to” ({to}).',
    'tlog.error.noCheckpoint': 'The log has no signed checkpoint yet. Try again shortly.',
  },
);
