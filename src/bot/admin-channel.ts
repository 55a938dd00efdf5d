/** The key the admin channel's conversation reference is stored under. */
export const ADMIN_CHANNEL = 'admin-channel';
