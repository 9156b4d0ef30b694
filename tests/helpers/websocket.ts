import { WebSocket } from 'ws';

/** A web-chat client speaking Botkit's web protocol, collecting what the server sends. */
export function connect(url: string): Promise<{ ws: WebSocket; next: (predicate?: (m: any) => boolean) => Promise<any> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const inbox: any[] = [];
    const waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void }[] = [];
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      const waiter = waiters.findIndex((w) => w.predicate(message));
      if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(message);
      else inbox.push(message);
    });
    ws.on('open', () =>
      resolve({
        ws,
        next: (predicate = () => true) =>
          new Promise((res, rej) => {
            const found = inbox.findIndex(predicate);
            if (found >= 0) return res(inbox.splice(found, 1)[0]);
            const timer = setTimeout(() => rej(new Error('no message in time')), 5000);
            waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), res(m)) });
          }),
      }),
    );
    ws.on('error', reject);
  });
}
