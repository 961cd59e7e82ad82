/** Hands a file to the browser's download (a same-origin blob: URL; nothing leaves the device). */
export function saveFile(name: string, contents: string | Blob, type: string): void {
  const blob = typeof contents === 'string' ? new Blob([contents], { type }) : contents;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
