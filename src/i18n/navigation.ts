import { defineMessages } from './define';

/** The places of each role in the header (src/views/navigation.ts). */
export const navigation = defineMessages(
  {
    'nav.officeBox': 'Skrzynka urzędu',
    'nav.journal': 'Dziennik korespondencji',
    'nav.applications': 'Wnioski o profil zaufany',
    'nav.officeHome': 'Strona urzędu',
    'nav.systems': 'Systemy',
    'nav.tokens': 'Tokeny dostępu',
    'nav.webhooks': 'Webhooki',
    'nav.settings': 'Ustawienia urzędu',
    'nav.admin': 'Administracja',
    'nav.points': 'Zarządzanie punktami',
    'nav.roles': 'Role pracowników',
    'esp.fileLetter': 'Złóż pismo do tego urzędu',
  },
  {
    'nav.officeBox': "Office's box",
    'nav.journal': 'Correspondence journal',
    'nav.applications': 'Trusted profile applications',
    'nav.officeHome': "Office's page",
    'nav.systems': 'Systems',
    'nav.tokens': 'Access tokens',
    'nav.webhooks': 'Webhooks',
    'nav.settings': 'Office settings',
    'nav.admin': 'Administration',
    'nav.points': 'Manage points',
    'nav.roles': 'Staff roles',
    'esp.fileLetter': 'File a letter to this office',
  },
);
