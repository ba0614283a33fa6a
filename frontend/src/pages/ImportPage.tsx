import {
  Alert,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Loader,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useClient, useMutation, useQuery, useSubscription } from "urql";
import { PageState } from "../components/PageState";
import { graphql } from "../gql";
import type { ImportLeadsMutation, LeadField } from "../gql/graphql";
import { parseCsv, samplesFor, toCsv, type CsvSample } from "../lib/csv";
import { errorMessage } from "../lib/errors";
import { countryOptions } from "../lib/countries";
import { rangeText } from "../lib/format";
import { importMessage } from "../lib/importMessages";
import { formatNumber, formatPercent, formatRelative } from "../lib/format";

const ImportLeads = graphql(`
  mutation ImportLeads($file: Upload!, $options: ImportOptionsInput) {
    importLeadsCsv(file: $file, options: $options) {
      ...ImportFields
    }
  }
`);

graphql(`
  fragment ImportFields on LeadImport {
    id
    status
    filename
    totalRows
    imported
    updated
    unchanged
    duplicates
    errorCount
    rejectedRows
    failure
    mapping {
      column
      field
    }
    preview {
      line
      name
      email
      phone
      locations
      minBudget
      maxBudget
      bedrooms
      operation
    }
    errors {
      line
      column
      message
    }
    merges {
      line
      sameAsLine
      leadId
      leadName
      matchedOn
    }
    unrecognizedColumns {
      column
      samples
      suggestion {
        field
        confidence
        reason
      }
    }
    dryRun
    createdAt
  }
`);

const Imports = graphql(`
  query Imports {
    leadImports(first: 30) {
      totalCount
      edges {
        node {
          id
          status
          filename
          totalRows
          imported
          updated
          unchanged
          duplicates
          errorCount
          rejectedRows
          dryRun
          createdAt
          finishedAt
        }
      }
    }
  }
`);

const OneImport = graphql(`
  query OneImport($id: ID!) {
    leadImport(id: $id) {
      ...ImportFields
    }
  }
`);

const ImportProgress = graphql(`
  subscription ImportProgress($importId: ID!) {
    importProgress(importId: $importId) {
      ...ImportFields
    }
  }
`);

type LeadImport = ImportLeadsMutation["importLeadsCsv"];

// Every field, in the order the wizard offers them; a Record so a field added to the schema
// fails the typecheck until it is offered (and translated).
const FIELD_ORDER: Record<LeadField, number> = {
  NAME: 0,
  FIRST_NAME: 1,
  LAST_NAME: 2,
  EMAIL: 3,
  PHONE: 4,
  LAST_CONTACT: 5,
  CREATED_AT: 6,
  STATUS: 7,
  NOTES: 8,
  BUDGET: 9,
  MIN_BUDGET: 10,
  MAX_BUDGET: 11,
  RENT_BUDGET: 12,
  CURRENCY: 13,
  LOCATION: 14,
  BEDROOMS: 15,
  OPERATION: 16,
  LANGUAGE: 17,
  EXTERNAL_ID: 18,
  SOURCE: 19,
  OWNER: 20,
  TAGS: 21,
  IGNORE: 22,
};
export const LEAD_FIELDS = (Object.keys(FIELD_ORDER) as LeadField[]).sort(
  (a, b) => FIELD_ORDER[a] - FIELD_ORDER[b],
);

/**
 * Every column of the file with the field it is read as: the server lists only the columns it
 * uses, so the others show as IGNORE, for the broker to map.
 */
export function detectedMapping(
  header: string[],
  used: { column: string; field: LeadField }[],
): Record<string, LeadField> {
  const fields = Object.fromEntries(used.map((m) => [m.column, m.field]));
  const columns = header.length ? header.filter((c) => c !== "") : used.map((m) => m.column);
  return Object.fromEntries(columns.map((c) => [c, fields[c] ?? "IGNORE"]));
}

/** Rejected rows as a CSV the broker can fix in a spreadsheet. */
export function errorsCsv(
  rows: LeadImport["errors"],
  header: [string, string, string],
  say: (message: string) => string = (message) => message,
): string {
  return toCsv([header, ...rows.map((e) => [e.line, e.column ?? "", say(e.message)])]);
}

/** The start of a file, enough for the header and sample rows: a 50 MB export is not read here. */
function readStart(file: File, bytes = 256 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file.slice(0, bytes), "utf-8");
  });
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function ErrorsTable({ record }: { record: LeadImport }) {
  const { t } = useTranslation();
  if (record.errors.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3} size="h6" id="import-problems-title">
          {t("import.rejectedTitle", { count: record.errorCount })}
        </Title>
        <Button
          size="xs"
          variant="light"
          onClick={() =>
            download(
              `${record.filename.replace(/\.csv$/i, "")}-rejected.csv`,
              errorsCsv(record.errors, [t("import.line"), t("import.column"), t("import.reason")], (m) => importMessage(m, t)),
            )
          }
        >
          {t("import.downloadRejected")}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t("import.rejectedHint")}
      </Text>
      <Table.ScrollContainer minWidth={420} mah={320}>
        <Table striped aria-labelledby="import-problems-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("import.line")}</Table.Th>
              <Table.Th scope="col">{t("import.column")}</Table.Th>
              <Table.Th scope="col">{t("import.reason")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {record.errors.map((e, i) => (
              <Table.Tr key={`${e.line}-${e.column ?? ""}-${i}`}>
                <Table.Td>{e.line}</Table.Td>
                <Table.Td>{e.column ?? "—"}</Table.Td>
                <Table.Td>{importMessage(e.message, t)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** Rows of the dry run that would merge: into an earlier row of the file, or into a lead you have. */
function MergesCard({ record }: { record: LeadImport }) {
  const { t } = useTranslation();
  if (record.merges.length === 0) return null;
  return (
    <Card withBorder radius="md" aria-labelledby="merges-title">
      <Title order={2} size="h5" id="merges-title" mb={4}>
        {t("import.mergesTitle", { count: record.duplicates + record.updated + record.unchanged })}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t("import.mergesHint")}
      </Text>
      <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
        {record.merges.map((m) => (
          <Text size="sm" component="li" key={`${m.line}-${m.sameAsLine ?? m.leadId ?? ""}`}>
            {m.sameAsLine != null
              ? t("import.mergeRow", { line: m.line, other: m.sameAsLine, on: m.matchedOn })
              : t("import.mergeLead", { line: m.line, name: m.leadName ?? "—", on: m.matchedOn })}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

const STATUS_COLOR: Record<LeadImport["status"], string> = {
  PREVIEW: "gray",
  RUNNING: "blue",
  COMPLETED: "green",
  FAILED: "red",
};

/** The brokerage's imports, newest first: status and counts; a running one can be followed again. */
function ImportsList({ onOpen, refreshKey }: { onOpen: (id: string) => void; refreshKey: number }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: Imports, requestPolicy: "cache-and-network" });
  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: "network-only" });
  }, [refreshKey, refetch]);
  const rows = (data?.leadImports.edges ?? []).map((e) => e.node).filter((r) => !r.dryRun);
  return (
    <Card withBorder radius="md" aria-labelledby="imports-title">
      <Title order={2} size="h5" id="imports-title" mb="xs">
        {t("import.historyTitle")}
      </Title>
      <PageState fetching={fetching} error={error} retry={() => refetch({ requestPolicy: "network-only" })}>
        {data &&
          (rows.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t("import.historyEmpty")}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped verticalSpacing="xs" aria-labelledby="imports-title">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t("import.fileName")}</Table.Th>
                    <Table.Th scope="col">{t("import.when")}</Table.Th>
                    <Table.Th scope="col">{t("import.status")}</Table.Th>
                    <Table.Th scope="col">{t("import.counts")}</Table.Th>
                    <Table.Th scope="col">
                      <span className="visually-hidden">{t("import.actions")}</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.id} data-import={r.filename}>
                      <Table.Td style={{ overflowWrap: "anywhere" }}>{r.filename}</Table.Td>
                      <Table.Td>{formatRelative(r.createdAt, i18n.language)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLOR[r.status]}>
                          {t(`importStatus.${r.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {t("import.countsLine", {
                            total: r.totalRows,
                            imported: r.imported,
                            updated: r.updated,
                            unchanged: r.unchanged,
                            duplicates: r.duplicates,
                            rejected: r.rejectedRows,
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant={r.status === "RUNNING" ? "filled" : "default"}
                          onClick={() => onOpen(r.id)}
                          aria-label={`${r.status === "RUNNING" ? t("import.follow") : t("import.open")}: ${r.filename}`}
                        >
                          {r.status === "RUNNING" ? t("import.follow") : t("import.open")}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ))}
      </PageState>
    </Card>
  );
}

function LiveProgress({ record, onUpdate }: { record: LeadImport; onUpdate: (r: LeadImport) => void }) {
  const [{ data }] = useSubscription({ query: ImportProgress, variables: { importId: record.id } });
  useEffect(() => {
    if (data) onUpdate(data.importProgress);
  }, [data, onUpdate]);
  return null;
}

export function ImportPage() {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [region, setRegion] = useState("");
  const [sample, setSample] = useState<CsvSample | null>(null);
  const [mapping, setMapping] = useState<Record<string, LeadField>>({});
  const [dryRun, setDryRun] = useState<LeadImport | null>(null);
  const [result, setResult] = useState<LeadImport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, runImport] = useMutation(ImportLeads);
  const client = useClient();
  const [listKey, setListKey] = useState(0);

  async function reopen(id: string) {
    setError(null);
    const response = await client.query(OneImport, { id }, { requestPolicy: "network-only" }).toPromise();
    if (!response.data) {
      setError(errorMessage(response.error, t("common.networkError")));
      return;
    }
    const record = response.data.leadImport;
    setFile(null);
    setDryRun(null);
    setSample(null);
    setMapping({});
    setResult(record);
    setStep(record.status === "RUNNING" ? 2 : 3);
  }

  const fields = useMemo(
    () => LEAD_FIELDS.map((f) => ({ value: f, label: t(`leadField.${f}`) })),
    [t],
  );

  async function check(chosen: File, header: string[], overrides?: Record<string, LeadField>) {
    setError(null);
    const response = await runImport({
      file: chosen,
      options: {
        dryRun: true,
        defaultRegion: region.trim() || null,
        mapping: overrides ? Object.entries(overrides).map(([column, field]) => ({ column, field })) : null,
      },
    });
    setStep(1);
    if (!response.data) {
      // A file without a recognisable email or phone column still shows its columns to map.
      setDryRun(null);
      if (!overrides) setMapping(Object.fromEntries(header.map((c) => [c, "IGNORE" as LeadField])));
      setError(errorMessage(response.error, t("common.networkError")));
      return;
    }
    const preview = response.data.importLeadsCsv;
    setDryRun(preview);
    setMapping(detectedMapping(header, preview.mapping));
  }

  async function choose(chosen: File | null) {
    setFile(chosen);
    setDryRun(null);
    if (!chosen) return;
    const parsed = parseCsv(await readStart(chosen), 5);
    setSample(parsed);
    await check(chosen, parsed.header);
  }

  async function confirm() {
    if (!file) return;
    setError(null);
    setStep(2);
    const response = await runImport({
      file,
      options: {
        defaultRegion: region.trim() || null,
        mapping: Object.entries(mapping).map(([column, field]) => ({ column, field })),
      },
    });
    if (!response.data) {
      setError(errorMessage(response.error, t("common.networkError")));
      setStep(1);
      return;
    }
    setResult(response.data.importLeadsCsv);
    setListKey((k) => k + 1);
    if (response.data.importLeadsCsv.status !== "RUNNING") setStep(3);
  }

  const onProgress = useMemo(
    () => (r: LeadImport) => {
      setResult(r);
      if (r.status === "COMPLETED" || r.status === "FAILED") {
        setStep(3);
        setListKey((k) => k + 1);
      }
    },
    [],
  );

  const reset = () => {
    setStep(0);
    setFile(null);
    setDryRun(null);
    setResult(null);
    setSample(null);
    setMapping({});
    setError(null);
  };

  const columns = Object.keys(mapping);
  const suggestions = Object.fromEntries(
    (dryRun?.unrecognizedColumns ?? []).filter((u) => u.suggestion).map((u) => [u.column, u.suggestion!]),
  );
  const unrecognised = columns.filter((c) => mapping[c] === "IGNORE").length;
  const done = result && result.status !== "RUNNING";
  // totalRows = imported + updated + unchanged + duplicates + rejectedRows: a problem with one
  // value (errorCount) is not a row, and counting it overran the bar.
  const processed = result ? result.imported + result.updated + result.unchanged + result.duplicates + result.rejectedRows : 0;

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t("import.title")}
      </Title>
      <Stepper active={step} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t("import.stepFile")}>
          <Card withBorder radius="md" mt="md">
            <Stack>
              <Text size="sm" c="dimmed">
                {t("import.fileLead")}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <FileInput
                  label={t("import.file")}
                  placeholder={t("import.filePlaceholder")}
                  accept=".csv,text/csv"
                  value={file}
                  onChange={choose}
                  clearable
                />
                <Select
                  label={t("import.region")}
                  description={t("import.regionHint")}
                  placeholder={t("import.regionDefault")}
                  data={countryOptions(i18n.language)}
                  searchable
                  clearable
                  value={region || null}
                  onChange={(v) => setRegion(v ?? "")}
                />
              </SimpleGrid>
              {fetching && (
                <Group gap="xs" role="status">
                  <Loader size="xs" />
                  <Text size="sm">{t("import.reading")}</Text>
                </Group>
              )}
            </Stack>
          </Card>
        </Stepper.Step>
        <Stepper.Step label={t("import.stepMapping")}>
          {columns.length > 0 && (
            <Stack mt="md">
              {dryRun && (
                <Alert color={dryRun.errorCount || unrecognised ? "orange" : "green"} title={t("import.dryRunTitle")}>
                  {t("import.dryRunSummary", {
                    total: dryRun.totalRows,
                    rejected: dryRun.rejectedRows,
                    count: dryRun.errorCount,
                  })}
                  {unrecognised > 0 && ` ${t("import.unrecognised", { count: unrecognised })}`}
                  <Text size="sm" mt={4}>
                    {t("import.dryRunCounts", {
                      imported: dryRun.imported,
                      updated: dryRun.updated,
                      unchanged: dryRun.unchanged,
                      duplicates: dryRun.duplicates,
                    })}
                  </Text>
                </Alert>
              )}
              {error && (
                <Alert color="red" role="alert" title={t("import.cannotImport")}>
                  {error}
                </Alert>
              )}
              <Card withBorder radius="md">
                <Title order={2} size="h5" mb="xs">
                  {t("import.mappingTitle")}
                </Title>
                <Table.ScrollContainer minWidth={520}>
                  <Table verticalSpacing="xs">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t("import.column")}</Table.Th>
                        <Table.Th scope="col">{t("import.samples")}</Table.Th>
                        <Table.Th scope="col">{t("import.field")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {columns.map((column) => (
                        <Table.Tr key={column} data-column={column}>
                          <Table.Td>
                            <Text size="sm" fw={600}>
                              {column}
                            </Text>
                            {mapping[column] === "IGNORE" && (
                              <Badge size="xs" color="orange" variant="light">
                                {t("import.notRecognised")}
                              </Badge>
                            )}
                            {(() => {
                              const suggestion = suggestions[column];
                              if (!suggestion || mapping[column] !== "IGNORE") return null;
                              return (
                                <Group gap={6} mt={4} wrap="nowrap">
                                  <Text size="xs" c="dimmed" title={suggestion.reason}>
                                    {t("import.suggestion", {
                                      field: t(`leadField.${suggestion.field}`),
                                      confidence: formatPercent(suggestion.confidence, i18n.language),
                                    })}
                                  </Text>
                                  <Button
                                    size="compact-xs"
                                    variant="light"
                                    aria-label={t("import.useSuggestionFor", {
                                      column,
                                      field: t(`leadField.${suggestion.field}`),
                                    })}
                                    onClick={() => setMapping((m) => ({ ...m, [column]: suggestion.field }))}
                                  >
                                    {t("import.useSuggestion")}
                                  </Button>
                                </Group>
                              );
                            })()}
                          </Table.Td>
                          <Table.Td>
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {sample ? samplesFor(sample, column).join(" · ") || "—" : "—"}
                            </Text>
                          </Table.Td>
                          <Table.Td miw={180}>
                            <Select
                              aria-label={t("import.fieldFor", { column })}
                              data={fields}
                              value={mapping[column]}
                              allowDeselect={false}
                              searchable
                              onChange={(v) => v && setMapping((m) => ({ ...m, [column]: v as LeadField }))}
                            />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              {dryRun && dryRun.preview.length > 0 && (
                <Card withBorder radius="md">
                  <Title order={2} size="h5" mb="xs">
                    {t("import.previewTitle")}
                  </Title>
                  <Table.ScrollContainer minWidth={640}>
                    <Table striped>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t("import.line")}</Table.Th>
                          <Table.Th scope="col">{t("leadField.NAME")}</Table.Th>
                          <Table.Th scope="col">{t("leadField.EMAIL")}</Table.Th>
                          <Table.Th scope="col">{t("leadField.PHONE")}</Table.Th>
                          <Table.Th scope="col">{t("leadField.LOCATION")}</Table.Th>
                          <Table.Th scope="col">{t("leadField.BUDGET")}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {dryRun.preview.map((row) => (
                          <Table.Tr key={row.line}>
                            <Table.Td>{row.line}</Table.Td>
                            <Table.Td>{row.name ?? "—"}</Table.Td>
                            <Table.Td>{row.email ?? "—"}</Table.Td>
                            <Table.Td>{row.phone ?? "—"}</Table.Td>
                            <Table.Td>{row.locations.join(", ") || "—"}</Table.Td>
                            <Table.Td>
                              {row.minBudget == null && row.maxBudget == null
                                ? "—"
                                : rangeText(row.minBudget, row.maxBudget, (v) => formatNumber(v, i18n.language), t)}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              )}
              {dryRun && <MergesCard record={dryRun} />}
              {dryRun && <ErrorsTable record={dryRun} />}
              <Group justify="space-between">
                <Button variant="default" onClick={reset}>
                  {t("import.otherFile")}
                </Button>
                <Group gap="sm">
                  <Button
                    variant="light"
                    loading={fetching}
                    onClick={() => file && check(file, sample?.header ?? columns, mapping)}
                  >
                    {t("import.checkAgain")}
                  </Button>
                  <Button onClick={confirm} disabled={fetching || !dryRun}>
                    {t("import.confirm", { count: dryRun ? dryRun.totalRows - dryRun.rejectedRows : 0 })}
                  </Button>
                </Group>
              </Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label={t("import.stepImport")}>
          <Card withBorder radius="md" mt="md" role="status">
            <Text mb="xs">{t("import.importing")}</Text>
            <Progress
              value={result && result.totalRows ? (processed / result.totalRows) * 100 : 100}
              animated
              striped
              aria-label={t("import.progress")}
            />
            {result && (
              <Text size="sm" mt="xs">
                {t("import.progressLine", { done: processed, total: result.totalRows })}
              </Text>
            )}
            {result?.status === "RUNNING" && <LiveProgress record={result} onUpdate={onProgress} />}
          </Card>
        </Stepper.Step>
        <Stepper.Completed>
          {done && result && (
            <Stack mt="md">
              <Alert
                color={result.status === "FAILED" ? "red" : "green"}
                title={result.status === "FAILED" ? t("import.failed") : t("import.doneTitle")}
                role="status"
              >
                {result.status === "FAILED"
                  ? importMessage(result.failure ?? "", t)
                  : t("import.doneSummary", {
                      imported: result.imported,
                      updated: result.updated,
                      unchanged: result.unchanged,
                      duplicates: result.duplicates,
                      rejected: result.rejectedRows,
                    })}
              </Alert>
              <ErrorsTable record={result} />
              <Group>
                <Button component={Link} to="/listings">
                  {t("import.toListings")}
                </Button>
                <Button variant="default" onClick={reset}>
                  {t("import.another")}
                </Button>
              </Group>
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
      {error && step !== 1 && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <ImportsList onOpen={reopen} refreshKey={listKey} />
    </Stack>
  );
}
