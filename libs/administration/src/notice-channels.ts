import { createTransport } from 'nodemailer';
import { IncidentMessage, NoticeChannels } from './incident-notices';

/** E-mail over SMTP (`smtp://host:port` or `smtps://user:pass@host:port`) and, when given, a JSON webhook (e.g. a chat's incoming webhook). */
export function noticeChannels(settings: { smtpUrl: string; from: string; webhookUrl?: string }): NoticeChannels {
  const transport = createTransport(settings.smtpUrl);
  return {
    email: async (recipients: string[], message: IncidentMessage) => {
      await transport.sendMail({ from: settings.from, to: recipients, subject: message.subject, text: message.text });
    },
    webhook: settings.webhookUrl
      ? async (message: IncidentMessage) => {
          const answer = await fetch(settings.webhookUrl!, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text: `${message.subject}\n${message.text}`, company: message.companyId, kind: message.kind, vendor: message.vendor, condition: message.condition }),
            signal: AbortSignal.timeout(10_000),
          });
          if (!answer.ok) throw new Error(`the webhook answered ${answer.status}`);
        }
      : undefined,
  };
}
