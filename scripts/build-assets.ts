import fs from 'node:fs';
import { buildAssets } from '../src/http/assets';

// Run by `npm install` (prepare) so `npm start` serves compiled styles at once.
const out = buildAssets({ force: process.argv.includes('--force') });
console.log(`assets: ${out}`);
fs.existsSync(out);
