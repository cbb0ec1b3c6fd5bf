import { canRunGalera, missingGaleraBinaries } from '../setup/galera-cluster';

/** Says loudly when the Galera scenarios are skipped, and why. */
export default function prepareGaleraRun() {
  const line = canRunGalera
    ? 'galera: 3-node MariaDB Galera cluster on loopback (mariadbd, galera-4 and rsync found)'
    : `galera: missing ${missingGaleraBinaries.join(', ')}: every Galera scenario is SKIPPED (apt-get install mariadb-server galera-4 rsync)`;
  process.stdout.write(`\n*** ${line} ***\n\n`);
}
