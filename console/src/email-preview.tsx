/**
 * The invitation e-mail as the customer will see it, in a sandboxed frame that runs no script.
 * The console's Content-Security-Policy (inherited by the frame) refuses inline styles, and the
 * e-mail is all inline styles: the HTML is parsed inert with DOMParser, its style attributes and
 * <style> blocks are taken off, and given back through the CSSOM, which the policy allows.
 */
import { useEffect, useRef } from 'preact/hooks';

const show = (frame: HTMLIFrameElement, html: string) => {
  const doc = frame.contentDocument;
  if (!doc) return;
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const sheets: string[] = [];
  for (const style of parsed.querySelectorAll('style')) {
    sheets.push(style.textContent ?? '');
    style.remove();
  }
  // Nothing in the preview may load or run: no images from elsewhere, no links that leave.
  for (const link of parsed.querySelectorAll('a')) link.removeAttribute('href');
  const styled: [number, string][] = [];
  const all = [parsed.documentElement, ...parsed.documentElement.querySelectorAll('*')];
  all.forEach((element, index) => {
    const style = element.getAttribute('style');
    if (style !== null) {
      styled.push([index, style]);
      element.removeAttribute('style');
    }
  });
  doc.replaceChild(doc.importNode(parsed.documentElement, true), doc.documentElement);
  const placed = [doc.documentElement, ...doc.documentElement.querySelectorAll('*')];
  for (const [index, style] of styled) {
    const element = placed[index];
    if (element instanceof doc.defaultView!.HTMLElement) element.style.cssText = style;
  }
  try {
    const sheet = new (doc.defaultView as typeof window).CSSStyleSheet();
    sheet.replaceSync(sheets.join('\n'));
    doc.adoptedStyleSheets = [sheet];
  } catch {
    // A sheet the browser cannot take changes only the wide layout; the inline styles carry the rest.
  }
  // As tall as the e-mail, so the page scrolls, not a box inside it.
  frame.style.height = `${doc.documentElement.scrollHeight + 2}px`;
};

export const EmailPreview = ({ html, title }: { html: string; title: string }) => {
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    if (frame.current) show(frame.current, html);
  }, [html]);
  return <iframe ref={frame} class="email-frame" title={title} sandbox="allow-same-origin" src="about:blank" data-testid="email-preview" />;
};
