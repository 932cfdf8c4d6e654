import { render } from "preact";
import { OptionsPage } from "../../components/OptionsPage";
import { prefillFromSearch } from "../../lib/settings/allowlist";
import { createBrowserOptionsApi } from "../../lib/settings/options-api";
import "./style.css";

// ?allowlist=owner/name comes from a findings panel's "Allowlist…" button: it only fills the field.
const root = document.getElementById("app");
if (root) render(<OptionsPage api={createBrowserOptionsApi()} prefill={prefillFromSearch(location.search)} />, root);
