import { HUB_ANONYMOUS_LIMIT } from "./rate-meter";
import { startFakeHub } from "./server";

/** `npm run fake-hub`: the fake huggingface.co on a port, for poking at it by hand. */
const port = Number(process.env.PORT ?? "8443");
// As the real Hub: 500 API calls per 5 minutes per IP (RATE_LIMIT=off to switch it off).
const hub = await startFakeHub({ port, ...(process.env.RATE_LIMIT === "off" ? {} : { rateLimit: HUB_ANONYMOUS_LIMIT }) });
console.log(`Fake huggingface.co listening on https://127.0.0.1:${hub.port}`);
console.log(`Chromium flags: --host-resolver-rules="MAP * 127.0.0.1:${hub.port}" --ignore-certificate-errors-spki-list=${hub.spkiHash}`);
