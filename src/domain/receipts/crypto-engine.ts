// reflect-metadata must load before @peculiar/x509 and xadesjs (their schema decorators need it).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as xadesjs from 'xadesjs';

// Both libraries work on Node's own WebCrypto.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);
xadesjs.Application.setEngine('NodeJS', webcrypto as unknown as Crypto);

export { x509, xadesjs };
