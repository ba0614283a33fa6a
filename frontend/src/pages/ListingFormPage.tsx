import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { PageState } from "../components/PageState";
import { NONE, TeamUsers } from "../components/AssignLead";
import { graphql } from "../gql";
import type {
  ListingFactsFieldsFragment,
  ListingOperation,
  PropertyInput,
  UpdatePropertyInput,
} from "../gql/graphql";
import { errorMessage } from "../lib/errors";

const ListingForEdit = graphql(`
  query ListingForEdit($id: ID!) {
    node(id: $id) {
      ... on Property {
        ...ListingFactsFields
      }
    }
  }
`);

const CreateListing = graphql(`
  mutation CreateListing($input: PropertyInput!) {
    createProperty(input: $input) {
      id
    }
  }
`);

const UpdateListing = graphql(`
  mutation UpdateListing($id: ID!, $input: UpdatePropertyInput!) {
    updateProperty(id: $id, input: $input) {
      ...ListingFactsFields
    }
  }
`);

type Pets = "unknown" | "yes" | "no";

export interface FormValues {
  title: string;
  location: string;
  city: string;
  address: string;
  price: number | string;
  currency: string;
  bedrooms: number | string;
  bathrooms: number | string;
  parkingSpaces: number | string;
  builtAreaM2: number | string;
  lotAreaM2: number | string;
  operation: ListingOperation;
  description: string;
  amenities: string[];
  petsAllowed: Pets;
  maintenanceFee: number | string;
  deposit: number | string;
  availableFrom: string;
  photos: string;
  listingUrl: string;
  /** The agent holding the listing (a User id), "" for none. */
  agentId: string;
}

export const EMPTY: FormValues = {
  title: "",
  location: "",
  city: "",
  address: "",
  price: "",
  currency: "MXN",
  bedrooms: "",
  bathrooms: "",
  parkingSpaces: "",
  builtAreaM2: "",
  lotAreaM2: "",
  operation: "SALE",
  description: "",
  amenities: [],
  petsAllowed: "unknown",
  maintenanceFee: "",
  deposit: "",
  availableFrom: "",
  photos: "",
  listingUrl: "",
  agentId: "",
};

const CURRENCIES = ["MXN", "USD", "EUR", "COP", "ARS", "CLP", "PEN"];
const AMENITY_IDEAS = ["Alberca", "Gimnasio", "Elevador", "Seguridad 24 h", "Roof garden", "Terraza", "Jardín", "Bodega"];

type Listing = ListingFactsFieldsFragment;

/** A listing from the API as the form's values (unknown facts are empty fields). */
export function fromListing(p: Listing): FormValues {
  const text = (v: number | null | undefined) => (v == null ? "" : v);
  return {
    title: p.title,
    location: p.location,
    city: p.city,
    address: p.address ?? "",
    price: p.price,
    currency: p.currency,
    bedrooms: text(p.bedrooms),
    bathrooms: text(p.bathrooms),
    parkingSpaces: text(p.parkingSpaces),
    builtAreaM2: text(p.builtAreaM2),
    lotAreaM2: text(p.lotAreaM2),
    operation: p.operation,
    description: p.description,
    amenities: p.amenities,
    petsAllowed: p.petsAllowed == null ? "unknown" : p.petsAllowed ? "yes" : "no",
    maintenanceFee: text(p.maintenanceFee),
    deposit: text(p.deposit),
    availableFrom: p.availableFrom ?? "",
    photos: p.photos.join("\n"),
    listingUrl: p.listingUrl ?? "",
    agentId: p.agent?.id ?? "",
  };
}

/** The form's values as the API's input: empty optional facts are null (unknown), never zero. */
export function toPropertyInput(values: FormValues): PropertyInput {
  const num = (v: number | string) => (v === "" || v == null ? null : Number(v));
  const text = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    title: values.title.trim(),
    location: values.location.trim(),
    city: values.city.trim(),
    address: text(values.address),
    price: Number(values.price),
    currency: values.currency,
    bedrooms: num(values.bedrooms),
    bathrooms: num(values.bathrooms),
    parkingSpaces: num(values.parkingSpaces),
    builtAreaM2: num(values.builtAreaM2),
    lotAreaM2: num(values.lotAreaM2),
    operation: values.operation,
    description: values.description.trim(),
    amenities: values.amenities.map((a) => a.trim()).filter(Boolean),
    petsAllowed: values.petsAllowed === "unknown" ? null : values.petsAllowed === "yes",
    maintenanceFee: num(values.maintenanceFee),
    deposit: num(values.deposit),
    availableFrom: text(values.availableFrom),
    photos: values.photos
      .split(/\s*\n\s*/)
      .map((u) => u.trim())
      .filter(Boolean),
    listingUrl: text(values.listingUrl),
    agentId: values.agentId || null,
  };
}

/**
 * Patch semantics for `updateProperty`: only the fields the broker changed, an emptied optional
 * fact as an explicit null (which clears it). Untouched fields are left out, so an edit never
 * overwrites what someone else changed meanwhile, and only a changed price or place re-matches.
 */
export function changedFields(before: FormValues, after: FormValues): UpdatePropertyInput {
  const a = toPropertyInput(before) as Record<string, unknown>;
  const b = toPropertyInput(after) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(b)) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) patch[key] = b[key];
  }
  return patch as UpdatePropertyInput;
}

export function ListingFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [initial, setInitial] = useState<FormValues>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [{ data, fetching, error: loadError }] = useQuery({
    query: ListingForEdit,
    variables: { id: id ?? "" },
    pause: !id,
  });
  const [users] = useQuery({ query: TeamUsers });
  const [createState, create] = useMutation(CreateListing);
  const [updateState, update] = useMutation(UpdateListing);

  useEffect(() => {
    const p = data?.node.__typename === "Property" ? data.node : null;
    if (p) {
      const loaded = fromListing(p);
      setValues(loaded);
      setInitial(loaded);
    }
  }, [data]);

  const set = <K extends keyof FormValues>(field: K) => (value: FormValues[K]) =>
    setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    let result;
    if (id) {
      const patch = changedFields(initial, values);
      if (Object.keys(patch).length === 0) {
        notifications.show({ color: "gray", message: t("listingForm.nothingChanged") });
        navigate(`/listings/${id}`);
        return;
      }
      result = await update({ id, input: patch });
    } else {
      result = await create({ input: toPropertyInput(values) });
    }
    if (result.error || !result.data) {
      setError(errorMessage(result.error, t("common.networkError")));
      return;
    }
    notifications.show({ color: "green", message: id ? t("listingForm.saved") : t("listingForm.created") });
    const newId = "createProperty" in result.data ? result.data.createProperty.id : id;
    navigate(`/listings/${newId}`);
  }

  return (
    <Stack gap="md" maw={760}>
      <Title order={1} size="h2">
        {id ? t("listingForm.editTitle") : t("listingForm.newTitle")}
      </Title>
      {!id && (
        <Text c="dimmed" size="sm">
          {t("listingForm.lead")}
        </Text>
      )}
      <PageState fetching={!!id && fetching} error={loadError}>
        {(!id || data) && (
          <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit}>
            <Stack>
              <TextInput
                label={t("listingForm.title")}
                placeholder={t("listingForm.titlePlaceholder")}
                required
                value={values.title}
                onChange={(e) => set("title")(e.currentTarget.value)}
              />
              <SegmentedControl
                aria-label={t("listingForm.operation")}
                value={values.operation}
                onChange={(v) => set("operation")(v as ListingOperation)}
                data={[
                  { value: "SALE", label: t("operation.SALE") },
                  { value: "RENT", label: t("operation.RENT") },
                ]}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t("listingForm.location")}
                  description={t("listingForm.locationHint")}
                  required
                  value={values.location}
                  onChange={(e) => set("location")(e.currentTarget.value)}
                />
                <TextInput
                  label={t("listingForm.city")}
                  value={values.city}
                  onChange={(e) => set("city")(e.currentTarget.value)}
                />
                <NumberInput
                  label={values.operation === "RENT" ? t("listingForm.rentPrice") : t("listingForm.price")}
                  required
                  min={0}
                  thousandSeparator=","
                  allowDecimal={false}
                  value={values.price}
                  onChange={set("price")}
                />
                <Select
                  label={t("listingForm.currency")}
                  data={CURRENCIES}
                  allowDeselect={false}
                  value={values.currency}
                  onChange={(v) => v && set("currency")(v)}
                />
                <NumberInput
                  label={t("listingForm.bedrooms")}
                  min={0}
                  allowDecimal={false}
                  value={values.bedrooms}
                  onChange={set("bedrooms")}
                />
                <NumberInput
                  label={t("listingForm.bathrooms")}
                  description={t("listingForm.bathroomsHint")}
                  min={0}
                  step={0.5}
                  decimalScale={1}
                  value={values.bathrooms}
                  onChange={set("bathrooms")}
                />
              </SimpleGrid>
              <TextInput
                label={t("listingForm.address")}
                description={t("listingForm.addressHint")}
                value={values.address}
                onChange={(e) => set("address")(e.currentTarget.value)}
              />
              <Title order={2} size="h5" mt="xs">
                {t("listingForm.factsTitle")}
              </Title>
              <Text size="sm" c="dimmed" mt={-8}>
                {t("listingForm.factsHint")}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
                <NumberInput
                  label={t("listingForm.parkingSpaces")}
                  min={0}
                  allowDecimal={false}
                  value={values.parkingSpaces}
                  onChange={set("parkingSpaces")}
                />
                <NumberInput
                  label={t("listingForm.builtArea")}
                  min={0}
                  decimalScale={2}
                  value={values.builtAreaM2}
                  onChange={set("builtAreaM2")}
                />
                <NumberInput
                  label={t("listingForm.lotArea")}
                  min={0}
                  decimalScale={2}
                  value={values.lotAreaM2}
                  onChange={set("lotAreaM2")}
                />
                <NumberInput
                  label={t("listingForm.maintenanceFee")}
                  min={0}
                  thousandSeparator=","
                  allowDecimal={false}
                  value={values.maintenanceFee}
                  onChange={set("maintenanceFee")}
                />
                <NumberInput
                  label={t("listingForm.deposit")}
                  min={0}
                  thousandSeparator=","
                  allowDecimal={false}
                  value={values.deposit}
                  onChange={set("deposit")}
                />
                <TextInput
                  type="date"
                  label={t("listingForm.availableFrom")}
                  value={values.availableFrom}
                  onChange={(e) => set("availableFrom")(e.currentTarget.value)}
                />
                <Select
                  label={t("listingForm.pets")}
                  allowDeselect={false}
                  value={values.petsAllowed}
                  onChange={(v) => set("petsAllowed")((v ?? "unknown") as FormValues["petsAllowed"])}
                  data={[
                    { value: "unknown", label: t("listingForm.petsUnknown") },
                    { value: "yes", label: t("listingForm.petsYes") },
                    { value: "no", label: t("listingForm.petsNo") },
                  ]}
                />
              </SimpleGrid>
              <TagsInput
                label={t("listingForm.amenities")}
                description={t("listingForm.amenitiesHint")}
                data={AMENITY_IDEAS}
                value={values.amenities}
                onChange={set("amenities")}
                clearable
              />
              <Textarea
                label={t("listingForm.photos")}
                description={t("listingForm.photosHint")}
                autosize
                minRows={2}
                value={values.photos}
                onChange={(e) => set("photos")(e.currentTarget.value)}
              />
              <TextInput
                type="url"
                label={t("listingForm.listingUrl")}
                placeholder="https://"
                value={values.listingUrl}
                onChange={(e) => set("listingUrl")(e.currentTarget.value)}
              />
              <Select
                label={t("team.agent")}
                description={t("listingForm.agentHint")}
                data={[
                  { value: NONE, label: t("team.unassigned") },
                  ...(users.data?.users ?? []).map((u) => ({ value: u.id, label: u.name })),
                ]}
                allowDeselect={false}
                value={values.agentId || NONE}
                onChange={(v) => set("agentId")(!v || v === NONE ? "" : v)}
              />
              <Textarea
                label={t("listingForm.description")}
                description={t("listingForm.descriptionHint")}
                autosize
                minRows={3}
                value={values.description}
                onChange={(e) => set("description")(e.currentTarget.value)}
              />
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => navigate(-1)}>
                  {t("common.cancel")}
                </Button>
                <Button type="submit" loading={createState.fetching || updateState.fetching}>
                  {id ? t("common.save") : t("listingForm.create")}
                </Button>
              </Group>
            </Stack>
          </Paper>
        )}
      </PageState>
    </Stack>
  );
}
