/** What the package exports: the API client for office systems and filing portals. */
export * from './client/index';
