/** Sends one webhook request; refuses destinations the installation does not allow. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookResponse {
  status: number;
}

export interface WebhookSender {
  /** Resolves with the response status; rejects on refusal, network error or timeout. */
  send(request: WebhookRequest): Promise<WebhookResponse>;
}
