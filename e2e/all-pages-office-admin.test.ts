import { describeAllPages } from './helpers/all-pages';

describeAllPages('office admin');
