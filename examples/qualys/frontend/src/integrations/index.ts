// Every integration's settings page, by vendor key.
import { QualysSettingsPage } from "./qualys/SettingsPage";

export const settingsPages = {
  qualys: QualysSettingsPage,
};
