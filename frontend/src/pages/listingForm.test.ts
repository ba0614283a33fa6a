import { describe, expect, it } from "vitest";
import { EMPTY, changedFields, toPropertyInput, type FormValues } from "./ListingFormPage";

const listing: FormValues = {
  ...EMPTY,
  title: "Departamento en Polanco",
  location: "Polanco",
  city: "Ciudad de México",
  price: 5200000,
  bedrooms: 3,
  bathrooms: 2.5,
  parkingSpaces: 2,
  amenities: ["Alberca", "Gimnasio"],
  petsAllowed: "yes",
  photos: "https://example.com/1.jpg\nhttps://example.com/2.jpg",
};

describe("the listing form's input", () => {
  it("sends every fact, empty optional ones as null (unknown), never zero", () => {
    const input = toPropertyInput({ ...listing, photos: "  https://example.com/1.jpg \n\n https://example.com/2.jpg\n" });
    expect(input).toMatchObject({
      bathrooms: 2.5,
      parkingSpaces: 2,
      builtAreaM2: null,
      lotAreaM2: null,
      maintenanceFee: null,
      deposit: null,
      availableFrom: null,
      address: null,
      listingUrl: null,
      petsAllowed: true,
      amenities: ["Alberca", "Gimnasio"],
      photos: ["https://example.com/1.jpg", "https://example.com/2.jpg"],
    });
    expect(toPropertyInput({ ...listing, petsAllowed: "unknown" }).petsAllowed).toBeNull();
    expect(toPropertyInput({ ...listing, petsAllowed: "no" }).petsAllowed).toBe(false);
  });

  it("edits with patch semantics: only what changed, an emptied fact as an explicit null", () => {
    expect(changedFields(listing, { ...listing })).toEqual({});
    expect(changedFields(listing, { ...listing, bathrooms: 3, deposit: 10000 })).toEqual({ bathrooms: 3, deposit: 10000 });
    expect(changedFields(listing, { ...listing, parkingSpaces: "" })).toEqual({ parkingSpaces: null });
    expect(changedFields(listing, { ...listing, amenities: ["Alberca"] })).toEqual({ amenities: ["Alberca"] });
    // Whitespace alone is no change.
    expect(changedFields(listing, { ...listing, title: "Departamento en Polanco  " })).toEqual({});
  });
});
