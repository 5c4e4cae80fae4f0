import type { SmtpSink } from '@ashchat/testkit';

/** The code line of the verification mail (text part): the six digits, indented, alone. */
const CODE_LINE = /^ {4}(\d{6})\s*$/m;

export function codeFromMailText(text: string): string | undefined {
  return CODE_LINE.exec(text)?.[1];
}

export interface CodeInbox {
  /** Resolves with the code of the next verification mail to `email` (already arrived or not). */
  waitForCode(email: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

interface Waiter {
  resolve(code: string): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Hands each captured mail's code to whoever waits for its recipient. One poller drains the sink
 * (take all + clear, synchronously, so no mail slips in between) instead of every waiter scanning
 * the whole store: under load that scan would cost more CPU than the flow being measured.
 * Polling adds up to `intervalMs` to each mail's latency.
 */
export function createCodeInbox(sink: SmtpSink, intervalMs = 2): CodeInbox {
  const waiters = new Map<string, Waiter>();
  const unclaimed = new Map<string, string>();

  const drain = (): void => {
    const mails = sink.messages();
    if (mails.length === 0) return;
    sink.clear();
    // Newest first: walk backwards so that, per recipient, the latest code wins.
    for (const mail of [...mails].reverse()) {
      const code = codeFromMailText(mail.Text);
      if (code === undefined) continue;
      for (const to of mail.To) {
        const email = to.Address.toLowerCase();
        const waiter = waiters.get(email);
        if (waiter) {
          waiters.delete(email);
          clearTimeout(waiter.timer);
          waiter.resolve(code);
        } else unclaimed.set(email, code);
      }
    }
  };
  const poller = setInterval(drain, intervalMs);

  return {
    waitForCode(email, timeoutMs = 30_000) {
      const key = email.toLowerCase();
      drain();
      const ready = unclaimed.get(key);
      if (ready !== undefined) {
        unclaimed.delete(key);
        return Promise.resolve(ready);
      }
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`no verification mail to ${email} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(key, { resolve, reject, timer });
      });
    },
    close() {
      clearInterval(poller);
      for (const [email, waiter] of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`inbox closed while waiting for a mail to ${email}`));
      }
      waiters.clear();
    },
  };
}
