import type { Config } from "tailwindcss";
import colors from "tailwindcss/colors";
import plugin from "tailwindcss/plugin";

/**
 * The fake Hub's stylesheet (tests/fake-hub/assets/style.css, `npm run fake-hub:css`): Tailwind built from
 * the class names the fake pages' templates and the real saved pages use, so the fake Hub looks like
 * huggingface.co in screenshots. Nothing here is copied from the Hub's CSS (it is not available): the palette
 * is the one the real pages' class names name (Tailwind's, with the Hub's two extra dark grays), the fonts
 * are the Hub's families followed by their system fallbacks, and nothing is fetched from the network.
 */
export default {
  // Paths relative to this file: the fake pages' templates and the real saved pages the fake Hub serves.
  content: {
    relative: true,
    files: ["./*.ts", "./assets/hydrate.js", "../fixtures/pages/hub-shell.html", "../fixtures/pages/real/*.html"],
  },
  // The real pages toggle `dark` on <html> (the shell's guestTheme script) and use `dark:` variants.
  darkMode: "class",
  theme: {
    container: { center: true, padding: "1rem" },
    colors: {
      transparent: "transparent",
      current: "currentColor",
      inherit: "inherit",
      black: colors.black,
      white: colors.white,
      // The real pages' grays run to 950 and add a 925: the Hub's dark background (#0b0f19, read off its dark
      // pages) and a step between it and 900 (our estimate; only its name appears in the markup).
      gray: { ...colors.gray, 925: "#0e1320", 950: "#0b0f19" },
      red: colors.red,
      orange: colors.orange,
      amber: colors.amber,
      yellow: colors.yellow,
      green: colors.green,
      emerald: colors.emerald,
      sky: colors.sky,
      blue: colors.blue,
      indigo: colors.indigo,
      purple: colors.purple,
      fuchsia: colors.fuchsia,
      pink: colors.pink,
    },
    extend: {
      fontFamily: {
        // The Hub's families (web fonts there; used here only if installed), then system fonts.
        sans: ["Source Sans Pro", "ui-sans-serif", "system-ui", "-apple-system", "BlinkMacSystemFont", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "sans-serif"],
        mono: ["IBM Plex Mono", "ui-monospace", "SFMono-Regular", "Menlo", "Monaco", "Consolas", "Liberation Mono", "Courier New", "monospace"],
      },
      // `from-purple-500/8` (the repo header's gradient) and the like.
      opacity: { 8: "0.08", 15: "0.15", 35: "0.35", 67: "0.67", 85: "0.85" },
      fontSize: { smd: ["0.94rem", "1.25rem"], md: ["0.95rem", "1.4rem"] },
      borderRadius: { xs: "0.125rem" },
      boxShadow: { xs: "0 1px 1px 0 rgb(0 0 0 / 0.03)" },
    },
  },
  plugins: [
    // Class names of Tailwind 4 that newer real pages carry, given their Tailwind 4 meaning.
    plugin(({ addUtilities }) => {
      const directions = { t: "top", b: "bottom", l: "left", r: "right", tr: "top right", tl: "top left", br: "bottom right", bl: "bottom left" };
      addUtilities(Object.fromEntries(Object.entries(directions).map(([key, to]) => [`.bg-linear-to-${key}`, { "background-image": `linear-gradient(to ${to}, var(--tw-gradient-stops))` }])));
      addUtilities({
        ".outline-hidden": { outline: "2px solid transparent", "outline-offset": "2px" },
      });
    }),
  ],
} satisfies Config;
