import { Anchor, Card, SimpleGrid, Stack, Table, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { graphql } from "../gql";
import type { ListingFactsFieldsFragment } from "../gql/graphql";
import { formatMoney, formatNumber, locale } from "../lib/format";

/** Every fact of a listing the AI may quote: what the listing page shows, the form edits and
 * the update answers with (one selection for the three). */
export const ListingFactsFields = graphql(`
  fragment ListingFactsFields on Property {
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
    parkingSpaces
    builtAreaM2
    lotAreaM2
    amenities
    petsAllowed
    maintenanceFee
    deposit
    availableFrom
    photos
    listingUrl
    address
    agent {
      id
      name
    }
  }
`);


/** Every fact the AI may quote, as the broker entered it; empty ones say so. */
export function ListingFacts({ listing: p }: { listing: ListingFactsFieldsFragment }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const unknown = t("listingForm.unknown");
  const num = (v: number | null | undefined) => (v == null ? unknown : formatNumber(v, lang));
  const area = (v: number | null | undefined) => (v == null ? unknown : t("listingForm.m2", { value: formatNumber(v, lang) }));
  const money = (v: number | null | undefined) => (v == null ? unknown : formatMoney(v, p.currency, lang));
  const rows: [string, ReactNode][] = [
    [t("listingForm.operation"), t(`operation.${p.operation}`)],
    [p.operation === "RENT" ? t("listingForm.rentPrice") : t("listingForm.price"), formatMoney(p.price, p.currency, lang)],
    [t("listingForm.address"), p.address || unknown],
    [t("team.agent"), p.agent?.name ?? t("team.unassigned")],
    [t("listingForm.location"), [p.location, p.city].filter(Boolean).join(", ")],
    [t("listingForm.bedrooms"), num(p.bedrooms)],
    [t("listingForm.bathrooms"), num(p.bathrooms)],
    [t("listingForm.parkingSpaces"), num(p.parkingSpaces)],
    [t("listingForm.builtArea"), area(p.builtAreaM2)],
    [t("listingForm.lotArea"), area(p.lotAreaM2)],
    [t("listingForm.maintenanceFee"), money(p.maintenanceFee)],
    [t("listingForm.deposit"), money(p.deposit)],
    [
      t("listingForm.availableFrom"),
      p.availableFrom
        ? new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${p.availableFrom}T00:00:00Z`))
        : unknown,
    ],
    [t("listingForm.pets"), p.petsAllowed == null ? unknown : p.petsAllowed ? t("listingForm.petsYes") : t("listingForm.petsNo")],
    [t("listingForm.amenities"), p.amenities.length ? p.amenities.join(", ") : t("listingForm.none")],
    [
      t("listingForm.listingUrl"),
      p.listingUrl ? (
        <Anchor href={p.listingUrl} target="_blank" rel="noreferrer">
          {p.listingUrl}
        </Anchor>
      ) : (
        unknown
      ),
    ],
  ];
  return (
    <Stack gap="md">
      <Card withBorder radius="md">
        <Table variant="vertical" layout="fixed" aria-label={t("listingForm.factsTitle")}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" w={{ base: 140, sm: 220 }}>{label}</Table.Th>
                <Table.Td style={{ overflowWrap: "anywhere" }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {p.photos.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {p.photos.map((url, i) => (
            <Anchor key={url} href={url} target="_blank" rel="noreferrer">
              <img
                src={url}
                alt={t("listing.photoAlt", { n: i + 1, title: p.title })}
                loading="lazy"
                style={{ width: "100%", aspectRatio: "4 / 3", objectFit: "cover", borderRadius: 6 }}
              />
            </Anchor>
          ))}
        </SimpleGrid>
      )}
      {p.description && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: "pre-line" }}>
          {p.description}
        </Text>
      )}
    </Stack>
  );
}

