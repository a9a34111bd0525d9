import { describeAllPages } from './helpers/all-pages';

describeAllPages('admin');
