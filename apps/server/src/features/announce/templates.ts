import { fill, type Locale } from './format.ts';

/** Messages to customers, by language. `{{…}}` are filled by `fill`. Plain text: what every mail client shows. */
const TEMPLATES = {
  appointment: {
    fr: {
      subject: 'Votre rendez-vous du {{date}} à {{time}} — {{org}}',
      text: [
        'Bonjour,',
        '',
        '{{rep}} ({{org}}) passera chez {{account}} le {{date}} à {{time}} (durée prévue : {{minutes}} min).',
        'Objet de la visite : {{visitType}}.',
        '',
        'Si cet horaire ne vous convient pas, répondez simplement à ce message.',
        '',
        'Cordialement,',
        '{{org}}',
      ].join('\n'),
    },
    en: {
      subject: 'Your appointment on {{date}} at {{time}} — {{org}}',
      text: [
        'Hello,',
        '',
        '{{rep}} ({{org}}) will visit {{account}} on {{date}} at {{time}} (expected to take {{minutes}} min).',
        'Purpose of the visit: {{visitType}}.',
        '',
        'If this time does not suit you, just reply to this message.',
        '',
        'Kind regards,',
        '{{org}}',
      ].join('\n'),
    },
  },
  appointmentSms: {
    fr: { subject: '', text: '{{org}} : {{rep}} passera chez {{account}} le {{date}} à {{time}}.' },
    en: { subject: '', text: '{{org}}: {{rep}} will visit {{account}} on {{date}} at {{time}}.' },
  },
  presence: {
    fr: {
      subject: '{{org}} sera près de chez vous le {{date}}',
      text: [
        'Bonjour,',
        '',
        '{{rep}} ({{org}}) sera dans votre secteur le {{date}}, non loin de {{account}}.',
        'Si vous souhaitez en profiter pour une visite, répondez à ce message : nous trouverons un créneau.',
        '{{note}}',
        'Cordialement,',
        '{{org}}',
        '',
        'Vous ne souhaitez plus recevoir ces avis de passage ? Répondez « STOP ».',
      ].join('\n'),
    },
    en: {
      subject: '{{org}} will be near you on {{date}}',
      text: [
        'Hello,',
        '',
        '{{rep}} ({{org}}) will be in your area on {{date}}, not far from {{account}}.',
        'If you would like a visit while we are nearby, reply to this message and we will find a time.',
        '{{note}}',
        'Kind regards,',
        '{{org}}',
        '',
        'No longer want these notices? Reply "STOP".',
      ].join('\n'),
    },
  },
} as const satisfies Record<string, Record<Locale, { subject: string; text: string }>>;

export type TemplateName = keyof typeof TEMPLATES;

export const render = (name: TemplateName, locale: Locale, values: Readonly<Record<string, string>>): { subject: string; text: string } => {
  const t = TEMPLATES[name][locale];
  return { subject: fill(t.subject, values), text: fill(t.text, values) };
};
