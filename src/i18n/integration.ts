import { defineMessages } from './define';

export const integration = defineMessages(
  {
    'webhooks.error.invalid': 'Punkt odbioru webhooków nie został zapisany. Popraw wskazane pola.',
    'webhooks.error.url':
      'Podaj pełny adres URL punktu odbioru (https://…), bez nazwy użytkownika i hasła, najwyżej 2000 znaków.',
    'webhooks.error.urlScheme': 'Adres punktu odbioru musi zaczynać się od https://.',
    'webhooks.error.urlPrivate':
      'Adres punktu odbioru wskazuje sieć lokalną lub prywatną: webhooki są wysyłane tylko na adresy publiczne.',
    'webhooks.error.events':
      'Wybierz co najmniej jedno zdarzenie spośród: document.received, document.registered, delivery.received, delivery.deemed.',
    'webhooks.error.description': 'Opis może mieć najwyżej 200 znaków.',
    'webhooks.error.tooMany': 'Urząd może mieć najwyżej {max} aktywnych punktów odbioru webhooków.',
    'webhooks.error.endpointNotFound': 'Nie znaleziono punktu odbioru webhooków.',
    'webhooks.error.deliveryNotFound': 'Nie znaleziono tej wysyłki webhooka.',
    'api.error.unknownFields': 'Nieznane pola: {fields}.',
    'api.error.bodyObject': 'Treść żądania musi być obiektem JSON.',
  },
  {
    'webhooks.error.invalid': 'The webhook endpoint was not saved. Correct the fields named.',
    'webhooks.error.url':
      'Give the full URL of the endpoint (https://…), without user name or password, at most 2000 characters.',
    'webhooks.error.urlScheme': 'The endpoint URL must start with https://.',
    'webhooks.error.urlPrivate':
      'The endpoint URL points to a local or private network: webhooks are sent to public addresses only.',
    'webhooks.error.events':
      'Choose at least one event of: document.received, document.registered, delivery.received, delivery.deemed.',
    'webhooks.error.description': 'The description may have at most 200 characters.',
    'webhooks.error.tooMany': 'An office may have at most {max} active webhook endpoints.',
    'webhooks.error.endpointNotFound': 'Webhook endpoint not found.',
    'webhooks.error.deliveryNotFound': 'Webhook delivery not found.',
    'api.error.unknownFields': 'Unknown fields: {fields}.',
    'api.error.bodyObject': 'The request body must be a JSON object.',
  },
);
