import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ReportApp } from '../features/public/report-app.js'
import '../styles.css'

/** The public reporting page (report.html, served at /report): residents, no sign-in. */
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ReportApp />
  </StrictMode>,
)
