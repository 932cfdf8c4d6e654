import { render } from "preact";
import { Popup } from "../../components/Popup";
import { parseTargetTab } from "../../lib/popup/api";
import { createExtensionApi } from "../../lib/popup/extension-api";
import "./style.css";

const targetTabId = parseTargetTab(location.search);
const api = createExtensionApi({
  targetTabId,
  // The toolbar popup closes so the page's panel is in view; a popup opened in its own tab (?tab=N) stays.
  afterPanelOpened: targetTabId === undefined ? () => window.close() : undefined,
});
const root = document.getElementById("app");
if (root) render(<Popup api={api} />, root);
