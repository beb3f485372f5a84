// One IndexedDB object store of the extension, opened for one piece of work
// and closed after it (a database left open would block the next version's
// upgrade, and documents and workers come and go).
export { storeAccess };

import { openDB } from "idb";

/** `with(work)`: runs `work(db)` on the database holding `storeName` (created at version 1). */
function storeAccess(databaseName, storeName) {
  return async (work) => {
    const db = await openDB(databaseName, 1, {
      upgrade(created) {
        created.createObjectStore(storeName);
      },
    });
    try {
      return await work(db);
    } finally {
      db.close();
    }
  };
}
