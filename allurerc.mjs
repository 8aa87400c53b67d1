// Allure 3 configuration (the `allure` npm package, no Java): `npm run report` renders
// <reports>/allure-results into <reports>/allure-report. History is one JSONL file beside them, appended
// to on every render, so trends survive across runs (the nightly workflow carries the file between
// nights). SPT_REPORTS_DIR moves everything, as it does for the test run.
const reports = process.env.SPT_REPORTS_DIR ?? 'reports';

export default {
  name: 'SPT conformance',
  output: `${reports}/allure-report`,
  historyPath: `${reports}/allure-history.jsonl`,
  historyLimit: 60,
  plugins: {
    awesome: {
      options: { reportName: 'SPT conformance', reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] },
    },
  },
};
