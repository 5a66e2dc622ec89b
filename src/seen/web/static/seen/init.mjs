// Starts GOV.UK Frontend's components (error summary focus, character counts, ...).
import { initAll } from '/static/govuk/govuk-frontend.min.js'

initAll()
