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
import { graphql } from "../gql";
import type { ListingOperation, PropertyInput } from "../gql/graphql";
import { errorMessage } from "../lib/errors";

const ListingForEdit = graphql(`
  query ListingForEdit($id: ID!) {
    node(id: $id) {
      ... on Property {
        id
        title
        location
        city
        price
        currency
        bedrooms
        bathrooms
        operation
        description
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
      id
      title
      location
      city
      price
      currency
      bedrooms
      bathrooms
      operation
      description
    }
  }
`);

interface FormValues {
  title: string;
  location: string;
  city: string;
  price: number | string;
  currency: string;
  bedrooms: number | string;
  bathrooms: number | string;
  operation: ListingOperation;
  description: string;
}

const EMPTY: FormValues = {
  title: "",
  location: "",
  city: "",
  price: "",
  currency: "MXN",
  bedrooms: "",
  bathrooms: "",
  operation: "SALE",
  description: "",
};

const CURRENCIES = ["MXN", "USD", "EUR", "COP", "ARS", "CLP", "PEN"];

/** The form's values as the API's input: empty optional numbers are null, not zero. */
export function toPropertyInput(values: FormValues): PropertyInput {
  const num = (v: number | string) => (v === "" || v == null ? null : Number(v));
  return {
    title: values.title.trim(),
    location: values.location.trim(),
    city: values.city.trim(),
    price: Number(values.price),
    currency: values.currency,
    bedrooms: num(values.bedrooms),
    bathrooms: num(values.bathrooms),
    operation: values.operation,
    description: values.description.trim(),
  };
}

export function ListingFormPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [{ data, fetching, error: loadError }] = useQuery({
    query: ListingForEdit,
    variables: { id: id ?? "" },
    pause: !id,
  });
  const [createState, create] = useMutation(CreateListing);
  const [updateState, update] = useMutation(UpdateListing);

  useEffect(() => {
    const p = data?.node.__typename === "Property" ? data.node : null;
    if (p) {
      setValues({
        title: p.title,
        location: p.location,
        city: p.city,
        price: p.price,
        currency: p.currency,
        bedrooms: p.bedrooms ?? "",
        bathrooms: p.bathrooms ?? "",
        operation: p.operation,
        description: p.description,
      });
    }
  }, [data]);

  const set = <K extends keyof FormValues>(field: K) => (value: FormValues[K]) =>
    setValues((v) => ({ ...v, [field]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const input = toPropertyInput(values);
    const result = id ? await update({ id, input }) : await create({ input });
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
