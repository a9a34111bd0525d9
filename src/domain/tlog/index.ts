export * from './merkle';
export * from './note';
export * from './checkpoint';
export * from './tiles';
export * from './receipt-inclusion';
