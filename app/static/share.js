// The copy-link button: the address of the view shown (its seed, look, everything) to paste.
//
// The clipboard needs a secure context (HTTPS or localhost) and the visitor's leave; where it
// is refused, the link is shown selected instead, ready for the keyboard's copy.

const STATUS_MS = 4000;

export function copyLinkButton(button, status) {
  let timer = null;
  const say = (content) => {
    clearTimeout(timer);
    status.replaceChildren(content);
    timer = setTimeout(() => status.replaceChildren(), STATUS_MS);
  };
  button.addEventListener("click", async () => {
    const link = location.href;
    try {
      await navigator.clipboard.writeText(link);
      say("Link copied.");
    } catch {
      const field = document.createElement("input");
      field.readOnly = true;
      field.value = link;
      field.setAttribute("aria-label", "the link to this view");
      say(field);
      clearTimeout(timer); // keep it until the visitor has copied it
      field.focus();
      field.select();
    }
  });
}
