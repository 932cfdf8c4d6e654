/**
 * Gates for the fake Hub's API requests: a test holds the requests it names, awaits their arrival
 * and lets them go when it has looked at what the extension shows meanwhile. This replaces a fixed
 * delay ("answer after 2 s") whose outcome depends on how busy the machine is: a held request
 * waits exactly as long as the test needs, and no longer.
 */
export interface HubGate {
  /** Requests that reached this gate so far, held or let through. */
  arrived(): number;
  /** Requests waiting at the gate now. */
  held(): number;
  /** Resolves once `count` requests have reached the gate in all (fails after `timeoutMs`, saying so). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Let the requests waiting now go on; later ones are held too. */
  release(): void;
  /** Let every request through from now on, the waiting ones too. */
  open(): void;
}

interface Request {
  method: string;
  path: string;
}

export function createGates() {
  const all = new Set<{ match: (request: Request) => boolean; enter: () => Promise<void>; open: () => void }>();

  function hold(match: (request: Request) => boolean): HubGate {
    let arrived = 0;
    let opened = false;
    let waiting: (() => void)[] = [];
    let watchers: (() => void)[] = [];
    const gate = {
      match,
      enter() {
        arrived++;
        for (const watcher of watchers) watcher();
        if (opened) return Promise.resolve();
        return new Promise<void>((resolve) => waiting.push(resolve));
      },
      open() {
        opened = true;
        release();
      },
    };
    function release() {
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve();
    }
    all.add(gate);
    return {
      arrived: () => arrived,
      held: () => waiting.length,
      waitFor(count, timeoutMs = 15_000) {
        if (arrived >= count) return Promise.resolve();
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            watchers = watchers.filter((watcher) => watcher !== check);
            reject(new Error(`The fake Hub's gate saw ${arrived} requests, not ${count}, within ${timeoutMs} ms.`));
          }, timeoutMs);
          const check = () => {
            if (arrived < count) return;
            clearTimeout(timer);
            watchers = watchers.filter((watcher) => watcher !== check);
            resolve();
          };
          watchers.push(check);
        });
      },
      release,
      open: () => gate.open(),
    };
  }

  return {
    hold,
    /** A request passes every gate that matches it, in turn. */
    async pass(request: Request) {
      for (const gate of all) if (gate.match(request)) await gate.enter();
    },
    /** Every gate opens (a new test starts), and is forgotten. */
    openAll() {
      for (const gate of all) gate.open();
      all.clear();
    },
  };
}
