import { Button, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { AvailabilityEditor, cleanWindows, invalidWindows } from "../../components/AvailabilityEditor";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import type { SettingsQuery } from "../../gql/graphql";
import { countryOptions } from "../../lib/countries";
import { useNotify } from "../../lib/notify";

const UpdateBrokerage = graphql(`
  mutation UpdateBrokerage($input: UpdateBrokerageInput!) {
    updateBrokerage(input: $input) {
      id
      name
      agentName
      formality
      availability {
        weekday
        startTime
        endTime
      }
      defaultRegion
      timezone
      language
      postalAddress
      signature
      requiresApproval
      matchGate
      scoringWeights {
        location
        price
        bedrooms
        qualityFactor
      }
      tierThresholds {
        hot
        medium
        low
      }
    }
  }
`);

type Brokerage = SettingsQuery["brokerage"];

/** The zones the browser knows, the brokerage's own first if it is not among them. */
export function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return known.includes(current) ? known : [current, ...known];
}

/** The brokerage's settings: what the AI says and how, when viewings are offered, how leads
 * match. Only the owner changes them; the others see them. */
export function BrokerageForm({ brokerage, editable }: { brokerage: Brokerage; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const notify = useNotify();
  const [values, setValues] = useState(brokerage);
  const [state, update] = useMutation(UpdateBrokerage);
  useEffect(() => setValues(brokerage), [brokerage]);
  const set = <K extends keyof Brokerage>(key: K, value: Brokerage[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (invalidWindows(values.availability).size > 0) return;
    const { location, price, bedrooms, qualityFactor } = values.scoringWeights;
    const { hot, medium, low } = values.tierThresholds;
    notify(
      await update({
        input: {
          name: values.name,
          defaultRegion: values.defaultRegion,
          timezone: values.timezone,
          language: values.language,
          postalAddress: values.postalAddress,
          signature: values.signature,
          agentName: values.agentName.trim(),
          formality: values.formality,
          availability: cleanWindows(values.availability),
          requiresApproval: values.requiresApproval,
          matchGate: values.matchGate,
          scoringWeights: { location, price, bedrooms, qualityFactor },
          tierThresholds: { hot, medium, low },
        },
      }),
      t("settings.saved"),
    );
  }

  const weight = (key: keyof Brokerage["scoringWeights"] & string) => (
    <NumberInput
      label={t(`settings.weight.${key}`)}
      min={0}
      step={key === "qualityFactor" ? 0.1 : 1}
      decimalScale={2}
      value={values.scoringWeights[key] as number}
      onChange={(v) => set("scoringWeights", { ...values.scoringWeights, [key]: Number(v) || 0 })}
    />
  );
  const tier = (key: "hot" | "medium" | "low") => (
    <NumberInput
      label={t(`settings.tier.${key}`)}
      min={0}
      max={100}
      value={values.tierThresholds[key]}
      onChange={(v) => set("tierThresholds", { ...values.tierThresholds, [key]: Number(v) || 0 })}
    />
  );

  return (
    <Section
      id="brokerage"
      title={t("settings.brokerageTitle")}
      hint={editable ? undefined : t("settings.ownerOnly")}
      onSubmit={submit}
    >
      <fieldset disabled={!editable} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t("settings.name")} required value={values.name} onChange={(e) => set("name", e.currentTarget.value)} />
          <Select
            label={t("settings.language")}
            description={t("settings.languageHint")}
            data={[
              { value: "es", label: "Español" },
              { value: "en", label: "English" },
            ]}
            allowDeselect={false}
            value={values.language}
            onChange={(v) => v && set("language", v)}
          />
          <Select
            label={t("settings.timezone")}
            description={t("settings.timezoneHint")}
            data={timeZones(values.timezone)}
            searchable
            allowDeselect={false}
            value={values.timezone}
            onChange={(v) => v && set("timezone", v)}
          />
          <Select
            label={t("settings.region")}
            description={t("settings.regionHint")}
            data={countryOptions(i18n.language, values.defaultRegion)}
            searchable
            allowDeselect={false}
            value={values.defaultRegion}
            onChange={(v) => v && set("defaultRegion", v)}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("settings.agentName")}
            description={t("settings.agentNameHint")}
            value={values.agentName}
            onChange={(e) => set("agentName", e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="formality-label">
              {t("settings.formality")}
            </Text>
            <SegmentedControl
              aria-labelledby="formality-label"
              value={values.formality}
              onChange={(v) => set("formality", v as Brokerage["formality"])}
              data={[
                { value: "TU", label: t("settings.formalityTu") },
                { value: "USTED", label: t("settings.formalityUsted") },
              ]}
            />
            <Text size="xs" c="dimmed">
              {t(`settings.formalityHint.${values.formality}`)}
            </Text>
          </Stack>
        </SimpleGrid>
        <AvailabilityEditor
          value={values.availability}
          onChange={(availability) => set("availability", availability)}
          timeZone={values.timezone}
        />
        <Textarea
          label={t("settings.postalAddress")}
          description={t("settings.postalAddressHint")}
          autosize
          minRows={2}
          value={values.postalAddress}
          onChange={(e) => set("postalAddress", e.currentTarget.value)}
        />
        <Textarea
          label={t("settings.signature")}
          autosize
          minRows={2}
          value={values.signature}
          onChange={(e) => set("signature", e.currentTarget.value)}
        />
        <Switch
          label={t("settings.requiresApproval")}
          description={t("settings.requiresApprovalHint")}
          checked={values.requiresApproval}
          onChange={(e) => set("requiresApproval", e.currentTarget.checked)}
        />
        <Title order={3} size="h6">
          {t("settings.scoringTitle")}
        </Title>
        <Select
          label={t("settings.matchGate")}
          description={t(`settings.matchGateHint.${values.matchGate}`)}
          data={(["PLACE_OR_BUDGET", "NONE"] as const).map((value) => ({ value, label: t(`settings.matchGateOption.${value}`) }))}
          allowDeselect={false}
          value={values.matchGate}
          onChange={(v) => v && set("matchGate", v as Brokerage["matchGate"])}
        />
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {weight("location")}
          {weight("price")}
          {weight("bedrooms")}
          {weight("qualityFactor")}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, xs: 3 }}>
          {tier("hot")}
          {tier("medium")}
          {tier("low")}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={state.fetching} disabled={!editable}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
      </fieldset>
    </Section>
  );
}
