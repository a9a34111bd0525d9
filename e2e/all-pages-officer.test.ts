import { describeAllPages } from './helpers/all-pages';

describeAllPages('confirmation officer');
