import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { cookieHeader, csrfFrom } from './app';
import { appBehind, helperGivesCode, markEnrolled, unspentTotpCode } from './staff-second-factor';

/**
 * A browser stand-in over inject(): keeps cookies, and posts forms with the CSRF token of the
 * page last fetched (fetching it first when needed).
 */
export class WebClient {
  cookies = '';
  lastPage = '';
  /** Each client comes from an address of its own, as separate browsers would (rate limits are per IP). */
  readonly ip = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  constructor(private readonly http: FastifyInstance) {}

  async get(url: string): Promise<LightMyRequestResponse> {
    const res = await this.http.inject({
      method: 'GET',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookies },
    });
    this.cookies = cookieHeader(res.headers['set-cookie'], this.cookies);
    if (res.headers['content-type']?.toString().includes('text/html')) this.lastPage = res.body;
    return res;
  }

  /** Posts a form; the CSRF token comes from `formPage` (fetched) or the last page seen. */
  async post(
    url: string,
    fields: Record<string, string>,
    formPage?: string,
  ): Promise<LightMyRequestResponse> {
    if (formPage) await this.get(formPage);
    const token = /name="_csrf"/.test(this.lastPage) ? csrfFrom(this.lastPage) : '';
    const res = await this.http.inject({
      method: 'POST',
      url,
      remoteAddress: this.ip,
      headers: { cookie: this.cookies },
      payload: { _csrf: token, ...fields },
    });
    this.cookies = cookieHeader(res.headers['set-cookie'], this.cookies);
    if (res.headers['content-type']?.toString().includes('text/html')) this.lastPage = res.body;
    return res;
  }

  /**
   * Logs in through the password form. A member of staff also gives the second factor, as with
   * the app at hand: the code when asked for it; without the app yet, it is set up on the page
   * the login leads to, and the login is made again with its code (the answer is then the code
   * page's). A resident's own second factor is left to the test (`helperGivesCode`).
   */
  async logIn(email: string, password: string): Promise<LightMyRequestResponse> {
    const res = await this.post('/logowanie', { email, password }, '/logowanie');
    const next = res.headers.location;
    if (next !== '/logowanie/kod' && next !== '/konto/2fa') return res;
    const app = appBehind(this.http);
    if (!(await helperGivesCode(app, email))) return res;
    if (next === '/konto/2fa') {
      await this.post('/konto/2fa/start', {}, '/konto/2fa');
      await this.post('/konto/2fa/wlacz', { code: await unspentTotpCode(app, email) }, '/konto/2fa');
      markEnrolled(app, email);
      await this.post('/wyloguj', {}, '/konto');
      return this.logIn(email, password);
    }
    return this.post('/logowanie/kod', { code: await unspentTotpCode(app, email) }, '/logowanie/kod');
  }
}
