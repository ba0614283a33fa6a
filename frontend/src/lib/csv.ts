/**
 * A small RFC 4180 reader for the import wizard's preview: the header and the first rows, so the
 * broker sees sample values beside each detected column. The server parses the whole file; this
 * only has to be right for what it shows (quotes, escaped quotes, newlines in quotes, ; or , or tab).
 */
export interface CsvSample {
  header: string[];
  rows: string[][];
}

export function detectDelimiter(firstLine: string): string {
  const counts = [",", ";", "\t", "|"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ",";
}

export function parseCsv(text: string, maxRows = 5): CsvSample {
  const clean = text.replace(/^\uFEFF/, "");
  const delimiter = detectDelimiter(clean.split(/\r?\n/, 1)[0] ?? "");
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const pushRecord = () => {
    record.push(field);
    field = "";
    if (record.some((cell) => cell.trim() !== "")) records.push(record);
    record = [];
  };
  while (i < clean.length && records.length <= maxRows) {
    const ch = clean[i];
    if (quoted) {
      if (ch === '"') {
        if (clean[i + 1] === '"') {
          field += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === delimiter) {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && clean[i + 1] === "\n") i += 1;
      pushRecord();
    } else {
      field += ch;
    }
    i += 1;
  }
  if ((field !== "" || record.length) && records.length <= maxRows) pushRecord();
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows: rows.slice(0, maxRows) };
}

/** Sample values of one column: the first non-empty cells, as the broker would recognise them. */
export function samplesFor(sample: CsvSample, column: string, count = 3): string[] {
  const index = sample.header.indexOf(column);
  if (index < 0) return [];
  return sample.rows
    .map((row) => (row[index] ?? "").trim())
    .filter((v) => v !== "")
    .slice(0, count);
}

/** A CSV a spreadsheet opens safely: quoted cells, formulas made inert. */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  const cell = (value: string | number | null | undefined) => {
    let text = value == null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return "\uFEFF" + rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
