/**
 * Argument schemas shared by several tools. Their descriptions are what the model reads in
 * tools/list; the procedures validate again, so these only shape and explain the arguments.
 */
import { FEATURE_TYPES } from "@wedsync/core";
import { z } from "zod";

export const clientIdArg = z
  .uuid()
  .describe("The client (a wedding) by id, as list_clients returns it; another organization's is not found.");

export const featureTypeArg = z
  .enum(FEATURE_TYPES)
  .describe(
    "pdf_analysis: read a PDF (contract, questionnaire) into wedding fields; field_extraction: pull wedding fields (date, venue, guests, budget, contact) out of text such as an enquiry email; smart_mapping: match form fields to the supplier's own labels.",
  );

export const dayArg = z.iso.date().describe("A day, YYYY-MM-DD, in the organization's timezone.");
