import { describeAllPages } from './helpers/all-pages';

describeAllPages('anonymous');
